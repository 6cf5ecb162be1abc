"""Every example runs on every device here, prints what its #> lines say, and is linted."""

from pathlib import Path

import pytest

from support.examples import (
    ExampleError,
    available_devices,
    find_examples,
    format_source,
    lint_problems,
    output_drift,
    portability_problems,
    relative,
    run_example,
)

EXAMPLES = find_examples()
CASES = [(path, device) for path in EXAMPLES for device in available_devices()]


@pytest.mark.parametrize(
    ("path", "device"), CASES, ids=[f"{relative(p)}-{d}" for p, d in CASES]
)
def test_output(
    path: Path, device: str, update_examples: bool, pytestconfig: pytest.Config
) -> None:
    recorded = path.read_text(encoding="utf-8")
    try:
        printed = run_example(path, device, pytestconfig)
    except ExampleError as error:
        pytest.fail(str(error), pytrace=False)
    if update_examples and device == "cpu":
        path.write_text(format_source(printed, path), encoding="utf-8")
        return
    drift = output_drift(path, recorded, printed, device)
    if drift:
        pytest.fail(drift, pytrace=False)


@pytest.mark.parametrize("path", EXAMPLES, ids=[relative(p) for p in EXAMPLES])
def test_lint(path: Path, update_examples: bool) -> None:
    if update_examples:
        source = path.read_text(encoding="utf-8")
        path.write_text(format_source(source, path), encoding="utf-8")
    problems = lint_problems(path)
    if problems:
        pytest.fail(problems, pytrace=False)


@pytest.mark.parametrize("path", EXAMPLES, ids=[relative(p) for p in EXAMPLES])
def test_portable(path: Path) -> None:
    problems = portability_problems(path)
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_examples_exist() -> None:
    assert len(EXAMPLES) >= 15, "the site promises at least 15 tested examples"
