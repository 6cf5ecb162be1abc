"""The one place that knows how examples are found, run, checked, formatted and rewritten.

An example is a standalone file ``examples/<topic>/<name>.py``. It runs in-process with
``__name__ == "__main__"``, on a device chosen here (the default device), with every
``print`` recorded so that its output can be compared with the ``#>`` lines written under
the call, and every exception its ``except`` clauses catch and every warning it gets
collected (``support/caught.py``) for the error index. Whatever global torch state the
example changes is restored, and so is the environment (``os.environ``). ``support/standalone.py`` runs each example once more as a
plain script, without any of this.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import difflib
import importlib.util
import itertools
import os
import random
import re
import subprocess
import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import torch
from _pytest.assertion.rewrite import rewrite_asserts
from ruff.__main__ import find_ruff_bin

from support.caught import (
    CHILD_FOLDER,
    HANDLER_HOOK,
    MessageCollector,
    Raised,
    instrument_handlers,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES_DIR = ROOT / "examples"
PRINT_LINE_LENGTH = 88  # a #> line longer than this becomes a triple-quoted block
UPDATE_HINT = (
    "run `make update-examples` (pytest --update-examples) and review the diff"
)


class ExampleError(Exception):
    """An example raised: the message names ``examples/...py:LINE``."""


def find_examples(root: Path = EXAMPLES_DIR) -> list[Path]:
    """Every ``*.py`` below ``root``, sorted; modules starting with ``_`` are helpers."""
    return sorted(
        path
        for path in root.rglob("*.py")
        if not path.name.startswith("_") and "__pycache__" not in path.parts
    )


def relative(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def available_devices() -> list[str]:
    """CPU always; CUDA and MPS when this machine has them."""
    devices = ["cpu"]
    if torch.cuda.is_available():
        devices.append("cuda")
    if torch.backends.mps.is_available():
        devices.append("mps")
    return devices


_REQUIRES = re.compile(r"^# requires: *(?P<name>\S*) *$")
KNOWN_DEVICES = ("cuda", "mps")
# Libraries that cannot be installed beside the pinned CPU build of torch: an example that
# needs one runs only in the venv of its own make target (and is skipped elsewhere).
KNOWN_LIBRARIES = {"torchvision": "make test-vision"}


def _requires_lines(path: Path) -> list[tuple[int, str]]:
    """Each ``# requires: NAME`` line (at the left margin): its number and the name,
    which must be a device or a library the harness knows."""
    found = []
    source = path.read_text(encoding="utf-8")
    for number, line in enumerate(source.splitlines(), start=1):
        match = _REQUIRES.match(line)
        if match is None:
            continue
        name = match["name"]
        if name not in KNOWN_DEVICES and name not in KNOWN_LIBRARIES:
            raise ExampleError(
                f"{relative(path)}:{number}: '# requires: {name}' names no device "
                f"or library the harness knows; write one of: "
                + ", ".join(
                    f"'# requires: {known}'"
                    for known in (*KNOWN_DEVICES, *KNOWN_LIBRARIES)
                )
                + " (or remove the line: every example runs on the CPU)."
            )
        found.append((number, name))
    return found


def required_device(path: Path) -> str | None:
    """The device a ``# requires: cuda`` line (at the left margin) says the example needs.

    Such an example runs only on that device, and is reported as skipped elsewhere.
    """
    found = None
    for number, device in _requires_lines(path):
        if device not in KNOWN_DEVICES:
            continue
        if found is not None and device != found:
            raise ExampleError(
                f"{relative(path)}:{number}: a second '# requires:' line ({device}, "
                f"after {found}); an example needs one device at most."
            )
        found = device
    return found


def required_libraries(path: Path) -> list[str]:
    """The libraries its ``# requires: torchvision`` lines name (``KNOWN_LIBRARIES``)."""
    return sorted(
        {name for _, name in _requires_lines(path) if name in KNOWN_LIBRARIES}
    )


def missing_library_reason(path: Path) -> str | None:
    """Why ``path`` cannot run in this venv: a library it requires is not installed
    here (None when every one is). The reason names the make target that runs it."""
    missing = [
        name
        for name in required_libraries(path)
        if importlib.util.find_spec(name) is None
    ]
    if not missing:
        return None
    targets = sorted({KNOWN_LIBRARIES[name] for name in missing})
    return (
        f"{relative(path)} requires {', '.join(missing)}, which this venv does not have "
        f"(it does not load beside the CPU build of torch that requirements.txt pins): not run "
        f"here; `{' / '.join(targets)}` runs it in its own venv and records the run"
    )


def devices_for(path: Path, present: list[str]) -> list[str]:
    """Where ``path`` should run: its required device only, or else every device here."""
    device = required_device(path)
    return [device] if device else list(present)


def skip_reason(path: Path, device: str, present: list[str]) -> str | None:
    """Why ``path`` cannot run on ``device`` here (None when it can)."""
    if device in present:
        return None
    return (
        f"{relative(path)} requires {device}, which this machine does not have "
        f"(devices here: {', '.join(present)}): not run"
    )


@contextlib.contextmanager
def isolated_state(device: str, path: Path) -> Iterator[None]:
    """Run on ``device``; restore every global an example may change afterwards."""
    saved_main = sys.modules.get("__main__")
    saved_path = list(sys.path)
    saved_environ = dict(os.environ)
    grad_enabled = torch.is_grad_enabled()
    default_device = torch.get_default_device()
    default_dtype = torch.get_default_dtype()
    threads = torch.get_num_threads()
    deterministic = torch.are_deterministic_algorithms_enabled()
    anomaly = torch.is_anomaly_enabled()
    torch_rng = torch.get_rng_state()
    cuda_rng = torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None
    python_rng = random.getstate()
    sys.path.insert(0, str(path.parent))  # as `python examples/x/y.py` would
    if device != "cpu":
        torch.set_default_device(device)
    try:
        yield
    finally:
        torch.set_default_device(
            None if default_device.type == "cpu" else default_device
        )
        torch.set_grad_enabled(grad_enabled)
        torch.set_default_dtype(default_dtype)
        torch.set_num_threads(threads)
        torch.use_deterministic_algorithms(deterministic)
        torch.autograd.set_detect_anomaly(anomaly)
        torch.set_rng_state(torch_rng)
        if cuda_rng is not None:
            torch.cuda.set_rng_state_all(cuda_rng)
        random.setstate(python_rng)
        sys.path[:] = saved_path
        _restore_environ(saved_environ)
        if saved_main is None:
            sys.modules.pop("__main__", None)
        else:
            sys.modules["__main__"] = saved_main


def _restore_environ(saved: dict[str, str]) -> None:
    """``os.environ`` as it was (an example may set DS_ACCELERATOR, say), except the
    folder the harness itself names on the first run, for the next runs."""
    folder = os.environ.get(CHILD_FOLDER)
    os.environ.clear()
    os.environ.update(saved)
    if folder is not None:
        os.environ[CHILD_FOLDER] = folder


def _compile(source: str, path: Path, config: pytest.Config | None) -> types.CodeType:
    """Compile with pytest's assertion rewriting, so a failed assert explains itself, and
    with every ``except`` clause reporting the exception it caught (``support/caught.py``)."""
    filename = str(path)
    try:
        tree = ast.parse(source, filename=filename)
    except SyntaxError as error:
        raise ExampleError(
            f"{relative(path)}:{error.lineno}: SyntaxError: {error.msg}"
        ) from None
    instrument_handlers(tree)
    rewrite_asserts(tree, source.encode(), filename, config)
    return compile(tree, filename, "exec")


def _failure_line(error: BaseException, path: Path) -> int:
    """The line of ``path`` that was running when ``error`` was raised (deepest frame)."""
    line, traceback = 0, error.__traceback__
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == str(path):
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


# --- Printed output and the #> lines -------------------------------------------------
#
# The harness replaces ``print`` while an example runs and records each call made from
# the example file itself: its line and the text it would have written. The recorded
# text is written back under each print as ``#>`` lines (or a triple-quoted block for
# long or multi-line output). A reader reads the file top to bottom, so the recorder
# refuses what it cannot write in the order a plain run prints it: a print that runs
# again after a print below it (a loop that prints from two lines), output that is not
# a whole line on stdout (``end=``, ``file=``), a print that is not a statement of its
# own line. ``support/standalone.py`` checks the result against a plain run.


@dataclass
class PrintCall:
    line: int  # the first line of the print statement (the line a call reports)
    last_line: int  # its last line: the recorded output goes right under it
    column: int


def print_calls(source: str, path: Path) -> list[PrintCall]:
    """Every ``print(...)`` statement of the file, in file order."""
    tree = ast.parse(source, filename=str(path))
    calls = [
        PrintCall(node.lineno, node.end_lineno or node.lineno, node.col_offset)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and _is_print(node.value)
    ]
    return sorted(calls, key=lambda call: call.line)


def _is_print(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "print"
    )


def _print_shape_problems(source: str, path: Path) -> list[str]:
    """Prints whose output the #> lines cannot be placed under."""
    tree = ast.parse(source, filename=str(path))
    statements = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and _is_print(node.value)
    }
    problems = []
    lines: dict[int, int] = {}
    for node in ast.walk(tree):
        if not _is_print(node):
            continue
        if id(node) not in statements:
            problems.append(
                f"{relative(path)}:{node.lineno}: print(...) inside an expression; the "
                "output is written under a print statement, so make the print a "
                "statement of its own."
            )
        lines[node.lineno] = lines.get(node.lineno, 0) + 1
    problems += [
        f"{relative(path)}:{line}: two prints start on this line; put each on its own "
        "line, so that each has its own output lines under it."
        for line, count in sorted(lines.items())
        if count > 1
    ]
    return problems


@dataclass
class Printed:
    line: int  # the print statement
    text: str  # what it wrote, without the final newline


class _RecordedPrint:
    """Stands in for ``print`` while an example runs: records each call made from the
    example file itself (its line, its text); prints from other modules are dropped."""

    def __init__(self, path: Path) -> None:
        self.filename = str(path)
        self.printed: list[Printed] = []
        self.problems: list[str] = []

    def __call__(
        self,
        *args: object,
        sep: str | None = " ",
        end: str | None = "\n",
        file: object = None,
        flush: bool = False,
    ) -> None:
        caller = sys._getframe(1)
        if caller.f_code.co_filename != self.filename:
            return
        line = caller.f_lineno
        if end not in (None, "\n") or file not in (None, sys.stdout):
            self.problems.append(
                f"{relative(Path(self.filename))}:{line}: print(..., end=...) or "
                "print(..., file=...): the #> lines record whole lines on stdout; "
                "build the line and print it once, to stdout."
            )
        text = (" " if sep is None else sep).join(str(arg) for arg in args)
        self.printed.append(Printed(line, text))


def _order_problems(path: Path, printed: list[Printed]) -> list[str]:
    """The recorded output reads top to bottom only if no print runs after one below
    it; name the first print that does."""
    for before, after in itertools.pairwise(printed):
        if after.line < before.line:
            name = relative(path)
            return [
                f"{name}:{after.line}: this print runs again after the print on line "
                f"{before.line}, below it (a loop, or a function called twice, that "
                "prints from two lines): its #> lines could not be read in the order "
                f"`python {name}` prints them. Print each step from one line: join "
                "the parts into one print, or collect the lines and print them after "
                "the loop."
            ]
    return []


def _output_lines(text: str, column: int) -> list[str]:
    """How one call's text is written under its print: one ``#>`` line when it is a
    single line that fits in 88 columns, else a triple-quoted block."""
    indent = " " * column
    if "\n" not in text and len(text) + len("#> ") < PRINT_LINE_LENGTH - column:
        return [f"{indent}#> {text}".rstrip()]
    block = [f"{indent}{line}".rstrip() for line in text.split("\n")]
    return [f'{indent}"""', *block, f'{indent}"""']


def with_outputs(source: str, path: Path, printed: list[Printed]) -> str:
    """``source`` with the output under each print replaced by what it printed (the
    output of a print that did not run is removed, and so is a ``#>`` line that is
    under no print)."""
    lines = source.splitlines()
    calls = print_calls(source, path)
    kept = {n for call in calls for n in outputs_under(lines, call.last_line)[1]}
    stray = [
        n
        for n, line in enumerate(lines, start=1)
        if is_output_comment(line) and n not in kept
    ]
    for number in reversed(stray):
        del lines[number - 1]
    source = "\n".join(lines) + "\n"
    lines = source.splitlines()
    by_line: dict[int, list[str]] = {}
    for call in printed:  # at the line it has once the stray lines are gone
        line = call.line - sum(number < call.line for number in stray)
        by_line.setdefault(line, []).append(call.text)
    for call in reversed(print_calls(source, path)):
        _, old = outputs_under(lines, call.last_line)
        del lines[call.last_line : call.last_line + len(old)]
        new = [
            written
            for text in by_line.get(call.line, [])
            for written in _output_lines(text, call.column)
        ]
        lines[call.last_line : call.last_line] = new
    return "\n".join(lines) + "\n"


def is_output_comment(line: str) -> bool:
    stripped = line.strip()
    return stripped == "#>" or stripped.startswith("#> ")


def _calls_under(lines: list[str], after: int) -> tuple[list[list[str]], list[int]]:
    """The output recorded right under line ``after`` (1-based), one list of lines per
    call (a ``#>`` line, or a triple-quoted block without its indentation), and the
    line numbers (1-based) it takes."""
    calls: list[list[str]] = []
    used: list[int] = []
    index = after
    while index < len(lines):
        stripped = lines[index].strip()
        if is_output_comment(lines[index]):
            calls.append([stripped[3:]])
            used.append(index + 1)
            index += 1
        elif stripped in ('"""', "'''"):
            indent = len(lines[index]) - len(lines[index].lstrip())
            end = next(
                (
                    j
                    for j in range(index + 1, len(lines))
                    if lines[j].strip() == stripped
                ),
                len(lines),
            )
            calls.append([line[indent:].rstrip() for line in lines[index + 1 : end]])
            used += list(range(index + 1, min(end, len(lines) - 1) + 2))
            index = end + 1
        else:
            break
    return calls, used


def outputs_under(lines: list[str], after: int) -> tuple[list[str], list[int]]:
    """The printed lines recorded right under line ``after`` (1-based), and the line
    numbers (1-based) they take."""
    calls, used = _calls_under(lines, after)
    return [line for call in calls for line in call], used


def recorded_calls(lines: list[str], after: int) -> list[str]:
    """What each call of the print ending on line ``after`` wrote, as the file records."""
    return ["\n".join(call) for call in _calls_under(lines, after)[0]]


@dataclass
class ExampleRun:
    """One run of an example in the harness."""

    path: Path
    device: str
    source: str  # the file with the output of this run under each print
    printed: list[Printed]
    raised: list[Raised]  # exceptions its except clauses caught, warnings it got


def run(path: Path, device: str, config: pytest.Config | None = None) -> ExampleRun:
    """Run ``path`` on ``device``: what it printed, raised and warned, and its source
    with the output of this run under each print.

    Raises ``ExampleError`` naming ``file:line`` when the example raises (a failed
    ``assert`` included), or prints what the #> lines cannot record. Exceptions are
    caught here, before pytest-examples would build a traceback (that crashes pytest
    with INTERNALERROR on Python 3.11).
    """
    path = path.resolve()
    source = path.read_text(encoding="utf-8")
    code = _compile(source, path, config)
    problems = _print_shape_problems(source, path)
    if problems:
        raise ExampleError("\n".join(problems))
    module = types.ModuleType("__main__")
    module.__file__ = str(path)
    recorder = _RecordedPrint(path)
    collector = MessageCollector(path)
    module.__dict__[HANDLER_HOOK] = collector.caught
    with isolated_state(device, path):
        sys.modules["__main__"] = module
        saved_print = builtins.print
        builtins.print = recorder
        try:
            with collector:
                exec(code, module.__dict__)
        except Exception as error:
            line = _failure_line(error, path)
            text = source.splitlines()[line - 1].strip() if line else ""
            raise ExampleError(
                f"{relative(path)}:{line}: {type(error).__name__} on {device}: {error}\n"
                f"    {text}\n"
                f"Reproduce with `python {relative(path)}`; fix the example or the claim."
            ) from None
        finally:
            builtins.print = saved_print
    problems = recorder.problems + _order_problems(path, recorder.printed)
    if problems:
        raise ExampleError("\n".join(problems))
    return ExampleRun(
        path,
        device,
        with_outputs(source, path, recorder.printed),
        recorder.printed,
        collector.raised,
    )


def run_example(path: Path, device: str, config: pytest.Config | None = None) -> str:
    """Run ``path`` on ``device`` and return its source with ``#>`` lines from this run."""
    return run(path, device, config).source


def _first_difference(old: str, new: str) -> int:
    for number, (a, b) in enumerate(
        zip(old.splitlines(), new.splitlines(), strict=False), start=1
    ):
        if a != b:
            return number
    return min(len(old.splitlines()), len(new.splitlines())) + 1


def output_drift(path: Path, recorded: str, printed: str, device: str) -> str | None:
    """A message naming ``file:line`` when the ``#>`` lines differ from the real output.

    ``printed`` is compared in its formatted form, as ``--update-examples`` writes it.
    """
    if printed == recorded:
        return None
    printed = format_source(printed, path)
    if printed == recorded:
        return None
    name = relative(path)
    diff = "\n".join(
        difflib.unified_diff(
            recorded.splitlines(),
            printed.splitlines(),
            fromfile=f"{name} (recorded #> lines)",
            tofile=f"{name} (printed on {device})",
            lineterm="",
        )
    )
    line = _first_difference(recorded, printed)
    return (
        f"{name}:{line}: the #> output recorded in the file differs from what the "
        f"example printed on {device}.\n{diff}\nIf the new output is right, {UPDATE_HINT}."
    )


_PRINT_COMMENT = re.compile(r"^( *#)>( |$)", flags=re.MULTILINE)
_PROTECTED_PRINT_COMMENT = re.compile(r"^( *#) >>>>( |$)", flags=re.MULTILINE)


def _ruff(*args: str, source: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [find_ruff_bin(), *args, "--stdin-filename", relative(path), "-"],
        input=source,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def format_source(source: str, path: Path) -> str:
    """``ruff format``, keeping ``#>`` lines intact (ruff would write ``# >``)."""
    protected = _PRINT_COMMENT.sub(r"\1 >>>>\2", source)
    result = _ruff("format", source=protected, path=path)
    if result.returncode != 0:
        raise ExampleError(f"{relative(path)}: ruff format failed:\n{result.stderr}")
    return _PROTECTED_PRINT_COMMENT.sub(r"\1>\2", result.stdout)


def lint_problems(path: Path) -> str | None:
    """``ruff check`` findings and formatting drift, as a message naming ``file:line``."""
    source = path.read_text(encoding="utf-8")
    problems = []
    check = _ruff("check", "--output-format", "concise", source=source, path=path)
    if check.returncode != 0:
        problems.append(check.stdout.strip() or check.stderr.strip())
        problems.append("Fix these ruff findings (see `ruff rule CODE`).")
    formatted = format_source(source, path)
    if formatted != source:
        line = _first_difference(source, formatted)
        diff = "\n".join(
            difflib.unified_diff(
                source.splitlines(),
                formatted.splitlines(),
                fromfile=relative(path),
                tofile=f"{relative(path)} (formatted)",
                lineterm="",
            )
        )
        problems.append(
            f"{relative(path)}:{line}: not formatted (ruff format).\n{diff}\n"
            f"To fix formatting, {UPDATE_HINT}."
        )
    return "\n".join(problems) or None


# --- An error an example shows must come -------------------------------------------
#
# An example that catches an error to show it passes silently when the error stops
# coming, unless it says what should happen then. The idiom, in plain Python:
#
#     try:
#         model.train("no")
#     except ValueError as error:
#         message = str(error)
#     else:
#         raise AssertionError("train('no') did not raise")
#
# Where the error comes in some cases only (a loop over settings, a function that reports
# whether its call raised), the ``else:`` records the other outcome instead: ``else:
# return "ok"`` in a function, or ``else:`` setting what the except clause sets
# (``result = ...``); the example then asserts on the outcomes. A recorded warning is
# asserted on right after the block: ``assert caught, "... did not warn"`` (or
# ``return``ed by a function). An ``except`` without ``as`` does not look at the error (a
# fallback, or a flag that the example prints) and is left alone.


def is_recording_warnings(item: ast.withitem) -> bool:
    """``warnings.catch_warnings(record=True)`` (the error index reads it too)."""
    call = item.context_expr
    if not isinstance(call, ast.Call):
        return False
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    return name == "catch_warnings" and any(
        keyword.arg == "record"
        and isinstance(keyword.value, ast.Constant)
        and keyword.value.value
        for keyword in call.keywords
    )


def _uses_name(node: ast.AST, names: set[str]) -> bool:
    return any(
        isinstance(inner, ast.Name) and inner.id in names for inner in ast.walk(node)
    )


def _bodies(tree: ast.AST) -> Iterator[list[ast.stmt]]:
    """Every list of statements in ``tree`` (bodies, else and finally blocks)."""
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                yield block
        if isinstance(node, ast.Match):
            for case in node.cases:
                yield case.body


def _assigned(block: list[ast.stmt]) -> set[str]:
    """What the statements of ``block`` assign to (``message``, ``errors[mode]``)."""
    targets: list[ast.expr] = []
    for statement in block:
        if isinstance(statement, ast.Assign):
            targets += statement.targets
        elif isinstance(statement, (ast.AugAssign, ast.AnnAssign)):
            targets.append(statement.target)
    return {ast.unparse(target) for target in targets}


def expected_error_problems(path: Path) -> list[str]:
    """Where ``path`` shows an error or a warning that may silently not come."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    name = relative(path)
    functions = [
        node
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
    ]
    in_function = {id(inner) for function in functions for inner in ast.walk(function)}
    problems = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Try, ast.TryStar)):
            continue
        named = [h for h in node.handlers if h.name]
        if not named:
            continue
        last = node.orelse[-1] if node.orelse else None
        ends = (ast.Raise, ast.Return) if id(node) in in_function else (ast.Raise,)
        recorded = _assigned(named[0].body) & _assigned(node.orelse)
        if not isinstance(last, ends) and not recorded:
            caught = ast.unparse(named[0].type) if named[0].type else "Exception"
            problems.append(
                f"{name}:{named[0].lineno}: `except {caught} as {named[0].name}:` "
                "shows an error, but the example passes silently if it stops coming; "
                "end the try with\n"
                "    else:\n"
                f'        raise AssertionError("... did not raise {caught}")\n'
                "(where the error comes in some cases only: `else: return <the "
                "outcome>` in a function, or `else:` setting what the except clause "
                "sets, and assert on it)."
            )
    for block in _bodies(tree):
        for index, statement in enumerate(block):
            if not isinstance(statement, (ast.With, ast.AsyncWith)):
                continue
            names = {
                target.id
                for item in statement.items
                if is_recording_warnings(item)
                for target in [item.optional_vars]
                if isinstance(target, ast.Name)
            }
            if not names:
                continue
            after = block[index + 1] if index + 1 < len(block) else None
            if isinstance(after, (ast.Assert, ast.Return)) and _uses_name(after, names):
                continue
            record = sorted(names)[0]
            problems.append(
                f"{name}:{statement.lineno}: `catch_warnings(record=True) as {record}` "
                "shows a warning, but the example passes silently if it stops coming; "
                "assert on the record right after the block:\n"
                f'    assert {record}, "... did not warn"\n'
                "(or `return` it from a function whose caller asserts on it)."
            )
    return sorted(problems, key=_line_of)


def _line_of(problem: str) -> int:
    return int(problem.split(":", 2)[1])


_HARD_CODED_DEVICE = re.compile(r"""["'](cpu|cuda|mps)(:\d+)?["']|\.cuda\(""")
# Naming DeepSpeed's accelerator is not naming a device for the example: the examples that
# save a transformers model or build a Trainer set it so that an installed DeepSpeed,
# imported by accelerate there, does not print "Setting accelerator to CPU ..." to stdout.
_DEEPSPEED_ACCELERATOR = re.compile(
    r"""\s*os\.environ\.setdefault\(["']DS_ACCELERATOR["'], ["']cpu["']\)\s*(#.*)?"""
)


def portability_problems(path: Path) -> list[str]:
    """An example names no device and seeds torch, so it runs the same anywhere."""
    problems = []
    source = path.read_text(encoding="utf-8")
    for number, line in enumerate(source.splitlines(), start=1):
        if _HARD_CODED_DEVICE.search(line) and not _DEEPSPEED_ACCELERATOR.fullmatch(
            line
        ):
            problems.append(
                f"{relative(path)}:{number}: hard-coded device; the test harness sets the "
                "default device, so create tensors and modules without naming one."
            )
    if "import torch" in source and "torch.manual_seed(" not in source:
        problems.append(
            f"{relative(path)}:1: no torch.manual_seed(...); seed the example so that "
            "its output is deterministic."
        )
    return problems
