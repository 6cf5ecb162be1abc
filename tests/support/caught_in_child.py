"""Preloaded in the forkserver of an example's child processes (``support/caught.py``).

On import, when the harness's folder is named in the environment, every process forked
from here reports to it, one JSON line per event in ``<pid>.jsonl``: each exception
raised into a frame of a file in an ``examples`` folder (a trace function that follows
only those frames, and there only exception events), and each warning. A rank process
ends with ``os._exit``, so each report is written at once.
"""

from __future__ import annotations

import json
import os
import sys
import warnings

EXAMPLES = f"{os.sep}examples{os.sep}"  # this repository's, or a test's copy
INSTALLED = f"{os.sep}site-packages{os.sep}"
FOLDER = os.environ.get("EXAMPLES_CAUGHT_IN_CHILDREN")


def _report(kind: str, name: str, message: object, where: str) -> None:
    try:
        text = str(message)
    except Exception as error:
        text = f"<str() failed: {type(error).__name__}>"
    record = {"kind": kind, "name": name, "message": text, "where": where}
    with open(os.path.join(FOLDER, f"{os.getpid()}.jsonl"), "a") as report:
        report.write(json.dumps(record) + "\n")


def _follow(frame, event: str, arg: object):
    if event == "exception":
        error = arg[1]
        filename = frame.f_code.co_filename
        where = f"{filename[filename.rindex(EXAMPLES) + 1 :]}:{frame.f_lineno}"
        _report("exception", type(error).__name__, error, f"{where} (a child process)")
    return _follow


def _trace(frame, event: str, arg: object):
    filename = frame.f_code.co_filename
    if EXAMPLES in filename and INSTALLED not in filename:
        frame.f_trace_lines = False
        return _follow
    return None


class _ReportedWarning(warnings.WarningMessage):
    def __init__(self, message, category, *args, **kwargs) -> None:
        super().__init__(message, category, *args, **kwargs)
        name = getattr(category, "__name__", str(category))
        _report("warning", name, message, "a warning (a child process)")


if FOLDER and os.path.isdir(FOLDER):
    sys.settrace(_trace)
    warnings.WarningMessage = _ReportedWarning
