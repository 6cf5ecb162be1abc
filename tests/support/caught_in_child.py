"""Preloaded in the forkserver of an example's child processes (``support/caught.py``).

A child started from a forkserver runs the example's file again, as ``__mp_main__``,
before it calls a function of it (the rank function of the two-rank examples). On import,
when the harness's folder is named in the environment, this module makes that run
compile the file as the harness does: each ``except`` clause reports the exception it
caught, first thing. Each warning is reported too. Reports go to the folder, one JSON
line per event in ``<pid>.jsonl``, written at once (a rank ends with ``os._exit``).
Nothing else is traced: the children run at full speed.
"""

from __future__ import annotations

import ast
import builtins
import json
import multiprocessing.spawn
import os
import sys
import warnings

HANDLER_HOOK = "@examples_caught"  # not an identifier: no example name can clash
FOLDER = os.environ.get("EXAMPLES_CAUGHT_IN_CHILDREN")


def instrument_handlers(tree: ast.Module) -> None:
    """Make each ``except`` clause of ``tree`` call ``HANDLER_HOOK()`` first thing."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler):
            report = ast.Expr(
                ast.Call(ast.Name(HANDLER_HOOK, ast.Load()), args=[], keywords=[])
            )
            node.body.insert(0, ast.copy_location(report, node.body[0]))
    ast.fix_missing_locations(tree)


def _report(kind: str, name: str, message: object, where: str) -> None:
    try:
        text = str(message)
    except Exception as error:
        text = f"<str() failed: {type(error).__name__}>"
    record = {"kind": kind, "name": name, "message": text, "where": where}
    with open(os.path.join(FOLDER, f"{os.getpid()}.jsonl"), "a") as report:
        report.write(json.dumps(record) + "\n")


def _caught() -> None:
    error = sys.exc_info()[1]
    if error is not None:
        caller = sys._getframe(1)
        where = f"{caller.f_code.co_filename}:{caller.f_lineno} (a child process)"
        _report("exception", type(error).__name__, error, where)


class _ReportedWarning(warnings.WarningMessage):
    def __init__(self, message, category, *args, **kwargs) -> None:
        super().__init__(message, category, *args, **kwargs)
        name = getattr(category, "__name__", str(category))
        _report("warning", name, message, "a warning (a child process)")


class _InstrumentedRunpy:
    """What ``multiprocessing.spawn`` calls to run the main file again in a child:
    ``runpy.run_path``, with the except clauses of the file instrumented."""

    @staticmethod
    def run_path(path: str, run_name: str) -> dict:
        with open(path, "rb") as handle:
            tree = ast.parse(handle.read(), filename=path)
        instrument_handlers(tree)
        namespace = {
            "__name__": run_name,
            "__file__": path,
            "__cached__": None,
            "__doc__": None,
            "__loader__": None,
            "__package__": None,
            "__spec__": None,
            "__builtins__": builtins,
            HANDLER_HOOK: _caught,
        }
        exec(compile(tree, path, "exec"), namespace)
        return namespace


# Only in a forkserver (``python -c "from multiprocessing.forkserver import main; ..."``)
# started while the harness ran an example: never in the harness's own process.
if FOLDER and os.path.isdir(FOLDER) and sys.argv[:1] == ["-c"]:
    multiprocessing.spawn.runpy = _InstrumentedRunpy
    warnings.WarningMessage = _ReportedWarning
