"""Every example runs on every device here, prints what its #> lines say, and is linted."""

from pathlib import Path

import pytest

from support.examples import (
    ExampleError,
    available_devices,
    devices_for,
    find_examples,
    format_source,
    lint_problems,
    output_drift,
    portability_problems,
    relative,
    run_example,
    skip_reason,
)
from support.records import verified_releases

EXAMPLES = find_examples()
DEVICES = available_devices()


def _devices(path: Path) -> list[str]:
    """An example with a `# requires: cuda` line runs there only (skipped elsewhere)."""
    try:
        return devices_for(path, DEVICES)
    except ExampleError:  # a bad `# requires:` line: test_output names it
        return DEVICES[:1]


CASES = [(path, device) for path in EXAMPLES for device in _devices(path)]


@pytest.fixture(autouse=True)
def _leave_what_runs(request: pytest.FixtureRequest) -> None:
    """For the record of a run (`make test-torch`, versions/verified.jsonl): the sha256 of
    the example that ``test_output`` is about to run and of each helper it imports, as read
    now, as JUnit properties ``sha256:FILE`` (the same as the record_property fixture's,
    without its warning under JUnit's xunit2 format)."""
    if request.node.originalname != "test_output":
        return
    path = request.node.callspec.params["path"]
    for name, digest in verified_releases.content_digests(path).items():
        request.node.user_properties.append((f"sha256:{name}", digest))


@pytest.mark.parametrize(
    ("path", "device"), CASES, ids=[f"{relative(p)}-{d}" for p, d in CASES]
)
def test_output(
    path: Path, device: str, update_examples: bool, pytestconfig: pytest.Config
) -> None:
    try:
        devices = devices_for(path, DEVICES)
        reason = skip_reason(path, device, DEVICES)
        if reason:
            pytest.skip(reason)
        recorded = path.read_text(encoding="utf-8")
        printed = run_example(path, device, pytestconfig)
    except ExampleError as error:
        pytest.fail(str(error), pytrace=False)
    if update_examples and device == devices[0]:
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
