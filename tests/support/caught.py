"""What an example raised and warned while it ran in the harness, for the error index.

Collected from what ran, not from the shape of the code, so that a message counts however
the example carries it to a ``print``: returned from a function, kept in a dict, formatted
into a string, sent back from another process.

- In the harness's process: every ``except`` clause of the example file reports the
  exception it caught (``instrument_handlers`` adds the call as the clause's first
  statement when the harness compiles the example: no tracing, no cost), and every
  warning the example gets is seen (``warnings.WarningMessage``, which both the C and
  the Python warning machinery build for a warning that is shown or recorded, is
  replaced while the example runs).
- In the processes the example starts through multiprocessing's forkserver (the two-rank
  examples, ``examples/training_stack/_two_ranks.py``): ``support/caught_in_child.py``
  is added to the forkserver's preload while the example runs, so a forkserver started
  then imports it; a child there runs the example's file again (as ``__mp_main__``),
  compiled the same way, and its except clauses and warnings report to a folder that
  this process reads after the run. (Children started with "spawn" or "fork" are not
  followed.) A message caught in a rank comes back to the example as data (a returned
  string), so "raised in a child" is known only from that report.

The error index (``support/error_index.py``) then counts a message as shown when it was
raised or warned (here or in a child) and a print of the example wrote it.
"""

from __future__ import annotations

import atexit
import json
import multiprocessing.forkserver
import os
import shutil
import sys
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from support.caught_in_child import HANDLER_HOOK, instrument_handlers

__all__ = ["HANDLER_HOOK", "MessageCollector", "Raised", "instrument_handlers"]

CHILD_FOLDER = "EXAMPLES_CAUGHT_IN_CHILDREN"  # the environment variable children read
CHILD_MODULE = "support.caught_in_child"
TESTS = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Raised:
    kind: str  # "exception" or "warning"
    name: str  # the exception's or the warning category's class name
    message: str  # str() of the exception or of the warning's message
    where: str  # examples/x.py:LINE where it was caught, or a process it started


def message_of(value: object) -> str:
    try:
        return str(value)
    except Exception as error:  # a broken __str__ is not the example's message
        return f"<str() failed: {type(error).__name__}>"


def _child_folder() -> Path:
    """The folder the children of this process report to (one per test process)."""
    folder = os.environ.get(CHILD_FOLDER)
    if folder is None or not Path(folder).is_dir():
        folder = tempfile.mkdtemp(prefix="caught-in-children-")
        os.environ[CHILD_FOLDER] = folder
        atexit.register(shutil.rmtree, folder, True)
    return Path(folder)


def read_child_reports(folder: Path) -> list[Raised]:
    found = []
    for report in sorted(folder.glob("*.jsonl")):
        for line in report.read_text(encoding="utf-8").splitlines():
            if line.strip():
                found.append(Raised(**json.loads(line)))
        report.unlink()
    return found


class MessageCollector:
    """While an example runs: what its except clauses catch, the warnings it gets, and
    what the processes it starts report."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.raised: list[Raised] = []
        self._saved: dict[str, object] = {}

    def caught(self) -> None:
        """Called first thing in each except clause of the example."""
        error = sys.exc_info()[1]
        if error is None:
            return
        line = sys._getframe(1).f_lineno
        where = f"{_relative(self.path)}:{line}"
        self.raised.append(
            Raised("exception", type(error).__name__, message_of(error), where)
        )

    def __enter__(self) -> MessageCollector:
        collector = self

        class RecordedWarning(warnings.WarningMessage):
            def __init__(self, message, category, *args, **kwargs) -> None:
                super().__init__(message, category, *args, **kwargs)
                name = getattr(category, "__name__", str(category))
                collector.raised.append(
                    Raised("warning", name, message_of(message), "a warning")
                )

        self.folder = _child_folder()
        read_child_reports(self.folder)  # anything left from an earlier run
        forkserver = multiprocessing.forkserver._forkserver
        preload = multiprocessing.forkserver.set_forkserver_preload

        def preload_and_report(module_names: list[str]) -> None:
            preload(list(dict.fromkeys([*module_names, CHILD_MODULE])))

        self._saved = {
            "WarningMessage": warnings.WarningMessage,
            "set_forkserver_preload": preload,
            "preload": forkserver._preload_modules,
            "PYTHONPATH": os.environ.get("PYTHONPATH"),
        }
        # A forkserver imports its preload before it reads the caller's sys.path: it
        # finds support/ through the environment it starts with.
        os.environ["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(TESTS), self._saved["PYTHONPATH"]])
        )
        warnings.WarningMessage = RecordedWarning
        multiprocessing.forkserver.set_forkserver_preload = preload_and_report
        preload_and_report(forkserver._preload_modules)  # used when it starts
        return self

    def __exit__(self, *exc: object) -> None:
        warnings.WarningMessage = self._saved["WarningMessage"]
        multiprocessing.forkserver.set_forkserver_preload = self._saved[
            "set_forkserver_preload"
        ]
        multiprocessing.forkserver._forkserver._preload_modules = self._saved["preload"]
        if self._saved["PYTHONPATH"] is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = self._saved["PYTHONPATH"]
        self.raised += read_child_reports(self.folder)


def _relative(path: Path) -> str:
    root = Path(__file__).resolve().parents[2]
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)
