"""Every example runs on every device here, prints what its #> lines say, and is linted;
it also runs as a plain script (a reader's run), shows an expected error only if it
must come, and every message it shows is in the error index."""

from functools import cache
from pathlib import Path

import pytest

from support.error_index import (
    ERRORS_PAGE,
    assert_without_print,
    printed_texts,
    run_problems,
    shown_messages,
)
from support.examples import (
    ExampleError,
    ExampleRun,
    available_devices,
    devices_for,
    expected_error_problems,
    find_examples,
    format_source,
    lint_problems,
    output_drift,
    portability_problems,
    relative,
    required_device,
    run,
    skip_reason,
)
from support.pages import LANGUAGES, find_pages
from support.records import verified_releases
from support.standalone import plain_run, standalone_problems, stop_problems

EXAMPLES = find_examples()
DEVICES = available_devices()
IDS = [relative(p) for p in EXAMPLES]
# The run of each example on its first device in this process (test_output), which
# test_error_index reads; under `make test` both tests run in the same process.
RUNS: dict[Path, ExampleRun] = {}


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
        ran = run(path, device, pytestconfig)
    except ExampleError as error:
        pytest.fail(str(error), pytrace=False)
    if device == devices[0]:
        RUNS[path] = ran
    if update_examples and device == devices[0]:
        path.write_text(format_source(ran.source, path), encoding="utf-8")
        return
    drift = output_drift(path, recorded, ran.source, device)
    if drift:
        pytest.fail(drift, pytrace=False)


@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_standalone(path: Path) -> None:
    """`python examples/<topic>/<name>.py` on the CPU prints exactly its #> lines, read
    top to bottom (support/standalone.py). An example that needs a device this machine
    lacks must stop with a message that says so (then the test is skipped)."""
    try:
        device = required_device(path)
    except ExampleError as error:
        pytest.fail(str(error), pytrace=False)
    plain = plain_run(path)
    if device and device not in DEVICES:
        problems = stop_problems(path, device, plain)
        if problems:
            pytest.fail(problems, pytrace=False)
        pytest.skip(
            f"{relative(path)} requires {device}, which this machine does not have: "
            f"as a plain script it stops with: {plain.stderr.strip().splitlines()[-1]}"
        )
    problems = standalone_problems(path, plain)
    if problems:
        pytest.fail(problems, pytrace=False)


@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_expected_errors(path: Path) -> None:
    """An error or warning an example shows must come: `except ... as error:` has an
    `else: raise AssertionError(...)`, and a warnings record is asserted on."""
    problems = expected_error_problems(path)
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_error_index(path: Path, pytestconfig: pytest.Config) -> None:
    """Every error or warning message the example showed when it ran is in
    docs/*/errors.md with the example listed under it, and what an entry listing it
    quotes is a message it raised (support/error_index.py)."""
    device = _devices(path)[0]
    reason = skip_reason(path, device, DEVICES)
    if reason:
        pytest.skip(reason)
    ran = RUNS.get(path)
    if ran is None:
        try:
            ran = RUNS[path] = run(path, device, pytestconfig)
        except ExampleError as error:
            pytest.fail(f"not checked, the example fails:\n{error}", pytrace=False)
    name = relative(path)
    shown = shown_messages(ran)
    problems = assert_without_print(path, shown)
    pages = _pages()
    for language in LANGUAGES:
        page = pages[language][ERRORS_PAGE]
        problems += run_problems(
            page, language, pages[language], name, shown, printed_texts(ran)
        )
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@cache
def _pages() -> dict:
    return find_pages()


@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_lint(path: Path, update_examples: bool) -> None:
    if update_examples:
        source = path.read_text(encoding="utf-8")
        path.write_text(format_source(source, path), encoding="utf-8")
    problems = lint_problems(path)
    if problems:
        pytest.fail(problems, pytrace=False)


@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_portable(path: Path) -> None:
    problems = portability_problems(path)
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_examples_exist() -> None:
    assert len(EXAMPLES) >= 15, "the site promises at least 15 tested examples"
