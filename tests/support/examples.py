"""The one place that knows how examples are found, run, checked, formatted and rewritten.

An example is a standalone file ``examples/<topic>/<name>.py``. It runs in-process with
``__name__ == "__main__"``, on a device chosen here (the default device), with every
``print`` captured by pytest-examples so that its output can be compared with the ``#>``
lines written under the call. Whatever global torch state the example changes is restored.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import difflib
import random
import re
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
import torch
from _pytest.assertion.rewrite import rewrite_asserts
from pytest_examples import CodeExample
from pytest_examples.config import ExamplesConfig
from pytest_examples.run_code import (
    Arg,
    InsertPrintStatements,
    MockPrintFunction,
    PrintStatement,
)
from ruff.__main__ import find_ruff_bin

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES_DIR = ROOT / "examples"
PRINT_CONFIG = ExamplesConfig(line_length=88)
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


_REQUIRES = re.compile(r"^# requires: *(?P<device>\S*) *$")
KNOWN_DEVICES = ("cuda", "mps")


def required_device(path: Path) -> str | None:
    """The device a ``# requires: cuda`` line (at the left margin) says the example needs.

    Such an example runs only on that device, and is reported as skipped elsewhere.
    """
    found = None
    source = path.read_text(encoding="utf-8")
    for number, line in enumerate(source.splitlines(), start=1):
        match = _REQUIRES.match(line)
        if match is None:
            continue
        device = match["device"]
        if device not in KNOWN_DEVICES:
            raise ExampleError(
                f"{relative(path)}:{number}: '# requires: {device}' names no device "
                f"the harness knows; write one of: "
                + ", ".join(f"'# requires: {known}'" for known in KNOWN_DEVICES)
                + " (or remove the line: every example runs on the CPU)."
            )
        if found is not None and device != found:
            raise ExampleError(
                f"{relative(path)}:{number}: a second '# requires:' line ({device}, "
                f"after {found}); an example needs one device at most."
            )
        found = device
    return found


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
        if saved_main is None:
            sys.modules.pop("__main__", None)
        else:
            sys.modules["__main__"] = saved_main


def _compile(source: str, path: Path, config: pytest.Config | None) -> types.CodeType:
    """Compile with pytest's assertion rewriting, so a failed assert explains itself."""
    filename = str(path)
    try:
        tree = ast.parse(source, filename=filename)
    except SyntaxError as error:
        raise ExampleError(
            f"{relative(path)}:{error.lineno}: SyntaxError: {error.msg}"
        ) from None
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


class _RecordedPrint(MockPrintFunction):
    """pytest-examples' print recorder, without its per-call ``inspect.stack()``.

    That call reads the source of every frame on the stack and scans ``sys.modules`` for
    each one: about 0.15 s per ``print`` once torch is imported, most of the suite's time.
    Recorded exactly as pytest-examples does: a print whose direct caller is the example
    file, at the caller's line; prints from other modules are not recorded.
    """

    __slots__ = ("filename",)

    def __init__(self, file: Path) -> None:
        super().__init__(file, None)
        self.filename = str(file)

    def __call__(self, *args: object, sep: str = " ", **kwargs: object) -> None:
        caller = sys._getframe(1)
        if caller.f_code.co_filename == self.filename:
            arguments = [Arg(argument) for argument in args]
            self.statements.append(PrintStatement(caller.f_lineno, sep, arguments))


class _Printer(InsertPrintStatements):
    """Replaces ``builtins.print`` by the recorder itself (no mock between them)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, PRINT_CONFIG, True, None, None)
        self.print_func = _RecordedPrint(path)
        self.saved_print = builtins.print

    def __enter__(self) -> None:
        self.saved_print = builtins.print
        builtins.print = self.print_func

    def __exit__(self, *args: object) -> None:
        builtins.print = self.saved_print


def run_example(path: Path, device: str, config: pytest.Config | None = None) -> str:
    """Run ``path`` on ``device`` and return its source with ``#>`` lines from this run.

    Raises ``ExampleError`` naming ``file:line`` when the example raises (a failed
    ``assert`` included). Exceptions are caught here, before pytest-examples would build a
    traceback (that crashes pytest with INTERNALERROR on Python 3.11).
    """
    path = path.resolve()
    source = path.read_text(encoding="utf-8")
    code = _compile(source, path, config)
    module = types.ModuleType("__main__")
    module.__file__ = str(path)
    printer = _Printer(path)
    with isolated_state(device, path):
        sys.modules["__main__"] = module
        try:
            with printer:
                exec(code, module.__dict__)
        except Exception as error:
            line = _failure_line(error, path)
            text = source.splitlines()[line - 1].strip() if line else ""
            raise ExampleError(
                f"{relative(path)}:{line}: {type(error).__name__} on {device}: {error}\n"
                f"    {text}\n"
                f"Reproduce with `python {relative(path)}`; fix the example or the claim."
            ) from None
    example = CodeExample.create(source, path=path)
    return printer.updated_print_statements(example) or source


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


_HARD_CODED_DEVICE = re.compile(r"""["'](cpu|cuda|mps)(:\d+)?["']|\.cuda\(""")


def portability_problems(path: Path) -> list[str]:
    """An example names no device and seeds torch, so it runs the same anywhere."""
    problems = []
    source = path.read_text(encoding="utf-8")
    for number, line in enumerate(source.splitlines(), start=1):
        if _HARD_CODED_DEVICE.search(line):
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
