"""Each example as a reader runs it: ``python examples/<topic>/<name>.py``, on the CPU.

This check does not trust the harness's own run (``support/examples.py``), which runs the
example inside pytest with ``print`` replaced by a recorder. Here the example runs as a
plain script in a process of its own and only its stdout counts: it must equal, line by
line, the output recorded in the file, read top to bottom (the ``#>`` lines and the
triple-quoted blocks right under each ``print``). Trailing spaces are not compared (no
comment line can keep them).

To stay fast, the runs are forked from a server that has already imported what the
examples import (``support/plain_server.py``: what a fork keeps and what it does not).
Examples that import the same heavy libraries share a sub-server forked from it. What
those imports print is written again at the start of each run, as a reader sees it.
"""

from __future__ import annotations

import ast
import atexit
import contextlib
import difflib
import functools
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from support.caught import CHILD_FOLDER
from support.examples import (
    ROOT,
    ExampleError,
    find_examples,
    is_output_comment,
    outputs_under,
    print_calls,
    relative,
)
from support.harness_env import readers_environment

SERVER = Path(__file__).with_name("plain_server.py")
# Every server imports torch, and torch._dynamo, which torch imports on the first
# optimizer step, checkpoint or compile (3 s: most examples would pay it again).
BASE = ["import torch", "import torch._dynamo"]
# Packages whose import takes seconds: an example that imports them runs in a sub-server
# that ran the imports of every example importing the same ones.
HEAVY = ("lightning", "peft", "transformers", "trl", "datasets", "onnx", "onnxruntime")
# The ONNX examples (importing onnx, onnxruntime or both) share one sub-server, which has
# also imported what torch.onnx.export's default exporter imports on the first export
# (onnxscript and the exporter's core: 1 s a run).
ONNX = frozenset({"onnx", "onnxruntime"})
ONNX_PRELOAD = [
    "import onnx",
    "import onnxruntime",
    "import onnxscript",
    "import torch.onnx._internal.exporter._core",
]
DEADLINE = (
    600  # seconds: a run that takes longer is stuck (the two-rank runs end in 120)
)


@dataclass
class PlainRun:
    status: int
    stdout: str
    stderr: str
    cpu: float  # CPU seconds of the run (the fork and what it started)


def _top_level_imports(source: str) -> list[str]:
    tree = ast.parse(source)
    return [
        ast.unparse(node)
        for node in tree.body
        if isinstance(node, ast.Import)
        or (isinstance(node, ast.ImportFrom) and node.level == 0)
    ]


def _packages(statement: str) -> set[str]:
    node = ast.parse(statement).body[0]
    names = (
        [alias.name for alias in node.names]
        if isinstance(node, ast.Import)
        else [node.module or ""]
    )
    return {name.split(".")[0] for name in names}


def _heavy_imports(source: str, folder: Path | None = None) -> list[str]:
    """The example's imports of heavy packages, and those of the helpers it imports
    from its own folder (``from _sft import ...``: ``_sft.py`` imports trl)."""
    statements = _top_level_imports(source)
    found = [s for s in statements if _packages(s) & set(HEAVY)]
    if folder is not None:
        for package in sorted(set().union(*map(_packages, statements))):
            helper = folder / f"{package}.py"
            if package.startswith("_") and helper.is_file():
                found += _heavy_imports(helper.read_text(encoding="utf-8"), folder)
    return list(dict.fromkeys(found))


def _key(statements: list[str]) -> frozenset[str]:
    return frozenset().union(*map(_packages, statements))


@functools.cache
def _imports_by_key() -> dict[frozenset[str], list[str]]:
    """For each set of heavy packages, every import statement of them that an example
    of this repository runs."""
    found: dict[frozenset[str], list[str]] = {}
    for path in find_examples():
        statements = _heavy_imports(path.read_text(encoding="utf-8"), path.parent)
        if statements:
            found.setdefault(_key(statements), []).extend(statements)
    return {key: list(dict.fromkeys(value)) for key, value in found.items()}


def preload_for(source: str, folder: Path | None = None) -> list[str]:
    """What the server of an example has imported: ``BASE``, then the imports of the
    heavy packages that the example imports, as the examples importing the same
    packages write them (one sub-server for them all: a fresh import of Lightning or
    PEFT takes seconds). What these imports print is written at the start of the run;
    an import that only another example runs could add to it (a false alarm, never a
    missed line)."""
    own = _heavy_imports(source, folder)
    shared = _imports_by_key().get(_key(own), []) if own else []
    if own and _key(own) <= ONNX:
        return BASE + ONNX_PRELOAD
    return BASE + list(dict.fromkeys([*shared, *own]))


def _clean_environment() -> dict[str, str]:
    """What a reader's shell would pass: the test run's own variables left out, and
    those the harness set for its own runs (``support/harness_env.py``)."""
    return readers_environment(leave_out=(CHILD_FOLDER,))


class PlainRunner:
    """Runs examples as plain scripts, forked from one server (``plain_server.py``)
    started on first use, and from its sub-servers for the heavy libraries."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="plain-runs-"))
        self.log = self.folder / "server.log"
        self.process: subprocess.Popen | None = None
        self.pending = b""  # what the server wrote after the last line read

    def _start(self) -> subprocess.Popen:
        if self.process is None or self.process.poll() is not None:
            self.pending = b""
            with open(self.log, "wb") as log:
                self.process = subprocess.Popen(
                    [sys.executable, str(SERVER), json.dumps(BASE), str(self.folder)],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    cwd=ROOT,
                    env=_clean_environment(),
                )
            ready = self._answer(None)
            if not ready.get("ready"):
                raise ExampleError(
                    f"{relative(SERVER)}:1: the plain-run server did not start: "
                    f"{ready.get('error')}"
                )
        return self.process

    def _answer(self, pid: int | None) -> dict:
        """The server's next line; waits for it (a stuck example is killed)."""
        assert self.process is not None and self.process.stdout is not None
        fd = self.process.stdout.fileno()
        deadline = time.monotonic() + DEADLINE
        while b"\n" not in self.pending:
            ready, _, _ = select.select([fd], [], [], 5)
            if ready:
                data = os.read(fd, 65536)
                if not data:
                    log = self.log.read_text(errors="replace")[-3000:]
                    return {"error": f"the server ended:\n{log}"}
                self.pending += data
            elif pid is not None and time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)  # its status follows
        line, self.pending = self.pending.split(b"\n", 1)
        return json.loads(line)

    def run(self, path: Path) -> PlainRun:
        path = path.resolve()
        source = path.read_text(encoding="utf-8")
        out, err = self.folder / "stdout", self.folder / "stderr"
        request = {
            "path": str(path),
            "argv0": relative(path),
            "cwd": str(ROOT),
            "stdout": str(out),
            "stderr": str(err),
            "preload": preload_for(source, path.parent),
        }
        process = self._start()
        assert process.stdin is not None
        process.stdin.write((json.dumps(request) + "\n").encode())
        process.stdin.flush()
        started = self._answer(None)
        if "pid" not in started:
            raise ExampleError(f"{request['argv0']}:1: not run: {started['error']}")
        ended = self._answer(started["pid"])
        if "status" not in ended:
            raise ExampleError(f"{request['argv0']}:1: not run: {ended['error']}")
        return PlainRun(
            ended["status"],
            out.read_text(encoding="utf-8", errors="replace"),
            err.read_text(encoding="utf-8", errors="replace"),
            ended["cpu"],
        )

    def close(self) -> None:
        if self.process is not None:
            if self.process.stdin:
                self.process.stdin.close()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


_RUNNER: PlainRunner | None = None


def plain_run(path: Path) -> PlainRun:
    """``python <path>`` from the repository root, as a reader runs it."""
    global _RUNNER
    if _RUNNER is None:
        _RUNNER = PlainRunner()
        atexit.register(_RUNNER.close)
    return _RUNNER.run(path)


# --- What the file says the run prints ----------------------------------------------


@dataclass
class RecordedLine:
    line: int  # the print that records it
    text: str


def recorded_output(path: Path) -> tuple[list[RecordedLine], list[str]]:
    """The output recorded in the file, top to bottom, one entry per printed line, and
    problems: a ``#>`` line or output block that is not right under a ``print``."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    recorded: list[RecordedLine] = []
    used: set[int] = set()
    for call in print_calls(source, path):
        outputs, taken = outputs_under(lines, call.last_line)
        used |= set(taken)
        recorded += [RecordedLine(call.line, text) for text in outputs]
    problems = [
        f"{relative(path)}:{number}: a #> line that is not under a print; the output "
        "under a print is written by `make update-examples`: delete this line and "
        "re-record."
        for number, line in enumerate(lines, start=1)
        if is_output_comment(line) and number not in used
    ]
    return recorded, problems


def _printed_lines(stdout: str) -> list[str]:
    lines = stdout.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip() for line in lines]


FIX = (
    "The #> lines must be exactly what `python {name}` prints. If the harness's run "
    "agrees with them (test_output passes) and this plain run does not, look for: "
    "output that a library writes to stdout (a progress bar, a log line: silence it "
    "in the example), output that differs between processes (object addresses, the "
    "order of a set: print sorted values), or output the harness records elsewhere "
    "than a reader sees it; then re-record with `make update-examples` and review "
    "the diff."
)


def stop_problems(path: Path, device: str, run: PlainRun) -> str | None:
    """An example that needs ``device``, run where it is missing, must stop with a
    message that names the device, not with a traceback."""
    name = relative(path)
    stderr = run.stderr.strip()
    if (
        run.status != 0
        and device.lower() in stderr.lower()
        and "Traceback" not in stderr
    ):
        return None
    ended = "exited with status 0" if run.status == 0 else "stopped with a traceback"
    if run.status != 0 and "Traceback" not in stderr:
        ended = "stopped without naming the device"
    return (
        f"{name}:1: `python {name}` on a machine without {device} {ended}; an example "
        f"that requires {device} must check for it first and stop with a message that "
        f'says why: sys.exit("This example needs a {device.upper()} GPU ...").\n'
        f"stderr:\n{stderr[-2000:]}"
    )


def standalone_problems(path: Path, run: PlainRun) -> str | None:
    """A message naming ``file:line`` of the first print whose recorded output differs
    from what the plain run printed; None when they agree."""
    name = relative(path)
    recorded, problems = recorded_output(path)
    if run.status != 0:
        problems.append(
            f"{name}:1: `python {name}` exited with status {run.status}:\n"
            f"{run.stderr[-3000:]}"
        )
    printed = _printed_lines(run.stdout)
    expected = [entry.text for entry in recorded]
    if printed != expected:
        index = next(
            (
                i
                for i, (a, b) in enumerate(zip(expected, printed, strict=False))
                if a != b
            ),
            min(len(expected), len(printed)),
        )
        if index < len(expected):
            where = recorded[index].line
            got = (
                f"printed {printed[index]!r}"
                if index < len(printed)
                else "had stopped printing"
            )
            what = (
                f"the print here is recorded as {expected[index]!r} (output line "
                f"{index + 1}), but `python {name}` {got} there"
            )
        else:
            where = recorded[-1].line if recorded else 1
            what = (
                f"`python {name}` printed more than the file records: output line "
                f"{index + 1} is {printed[index]!r}, after the last recorded line"
            )
        diff = "\n".join(
            list(
                difflib.unified_diff(
                    expected,
                    printed,
                    fromfile=f"{name} (#> lines, top to bottom)",
                    tofile=f"python {name} (stdout)",
                    lineterm="",
                )
            )[:60]
        )
        problems.append(f"{name}:{where}: {what}.\n{diff}\n{FIX.format(name=name)}")
    return "\n".join(problems) or None
