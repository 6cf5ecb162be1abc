"""Every example runs on every device here, prints what its #> lines say, and is linted;
it also runs as a plain script (a reader's run), shows an expected error only if it
must come, and every message it shows is in the error index."""

import json
from functools import cache
from pathlib import Path

import pytest

from support.error_index import (
    ERRORS_PAGE,
    PrintedMessage,
    assert_without_print,
    printed_texts,
    recorded_texts,
    run_problems,
    shown_messages,
)
from support.examples import (
    KNOWN_LIBRARIES,
    ExampleError,
    ExampleRun,
    available_devices,
    devices_for,
    expected_error_problems,
    find_examples,
    format_source,
    lint_problems,
    missing_library_reason,
    output_drift,
    portability_problems,
    relative,
    required_device,
    required_libraries,
    run,
    skip_reason,
)
from support.pages import LANGUAGES, find_pages
from support.records import verified_releases
from support.standalone import plain_run, standalone_problems, stop_problems

EXAMPLES = find_examples()
DEVICES = available_devices()
# The examples that need a library the pinned venv cannot hold (`# requires: torchvision`):
# their tests carry the library's mark, which its own make target selects (`make
# test-vision` runs `pytest -m torchvision` in .venv-vision).
LIBRARY_EXAMPLES = [path for path in EXAMPLES if required_libraries(path)]


def _marks(path: Path) -> list[pytest.MarkDecorator]:
    return [getattr(pytest.mark, name) for name in required_libraries(path)]


def _params(paths: list[Path]) -> list:
    return [pytest.param(p, id=relative(p), marks=_marks(p)) for p in paths]


# The run of each example on its first device in this process (test_output), which
# test_error_index reads; under `make test` both tests run in the same process.
RUNS: dict[Path, ExampleRun] = {}


def _devices(path: Path) -> list[str]:
    """An example with a `# requires: cuda` line runs there only (skipped elsewhere)."""
    try:
        return devices_for(path, DEVICES)
    except ExampleError:  # a bad `# requires:` line: test_output names it
        return DEVICES[:1]


CASES = [
    pytest.param(path, device, id=f"{relative(path)}-{device}", marks=_marks(path))
    for path in EXAMPLES
    for device in _devices(path)
]


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


@pytest.mark.parametrize(("path", "device"), CASES)
def test_output(
    path: Path, device: str, update_examples: bool, pytestconfig: pytest.Config
) -> None:
    try:
        devices = devices_for(path, DEVICES)
        reason = skip_reason(path, device, DEVICES) or missing_library_reason(path)
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


@pytest.mark.parametrize("path", _params(EXAMPLES))
def test_standalone(path: Path) -> None:
    """`python examples/<topic>/<name>.py` on the CPU prints exactly its #> lines, read
    top to bottom (support/standalone.py). An example that needs a device this machine
    lacks must stop with a message that says so (then the test is skipped)."""
    try:
        device = required_device(path)
    except ExampleError as error:
        pytest.fail(str(error), pytrace=False)
    reason = missing_library_reason(path)
    if reason:
        pytest.skip(reason)
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


@pytest.mark.parametrize("path", _params(EXAMPLES))
def test_expected_errors(path: Path) -> None:
    """An error or warning an example shows must come: `except ... as error:` has an
    `else: raise AssertionError(...)`, and a warnings record is asserted on."""
    problems = expected_error_problems(path)
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.mark.parametrize("path", _params(EXAMPLES))
def test_error_index(
    path: Path, pytestconfig: pytest.Config, request: pytest.FixtureRequest
) -> None:
    """Every error or warning message the example showed when it ran is in
    docs/*/errors.md with the example listed under it, and what an entry listing it
    quotes is a message it raised (support/error_index.py). An example that needs a
    library this venv lacks is checked against the messages its recorded run showed."""
    name = relative(path)
    if missing_library_reason(path):
        shown, printed = _recorded_messages(path)
    else:
        shown, printed = _shown_in_a_run(path, pytestconfig)
        if required_libraries(path):  # for the record: make test checks these
            request.node.user_properties += [
                (
                    f"{verified_releases.SHOWN_PROPERTY}{name}",
                    json.dumps([m.line, m.text]),
                )
                for m in shown
            ]
    problems = assert_without_print(path, shown)
    pages = _pages()
    for language in LANGUAGES:
        page = pages[language][ERRORS_PAGE]
        problems += run_problems(page, language, pages[language], name, shown, printed)
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def _shown_in_a_run(
    path: Path, pytestconfig: pytest.Config
) -> tuple[list[PrintedMessage], list[PrintedMessage]]:
    """The messages a run of ``path`` here showed, and everything it printed (the run of
    test_output in this process, or a run now)."""
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
    return shown_messages(ran), printed_texts(ran)


def _recorded_messages(
    path: Path,
) -> tuple[list[PrintedMessage], list[PrintedMessage]]:
    """The messages the recorded passing run of ``path`` as it is now showed (make
    test-vision records them), and what its #> lines say it prints (which that run
    checked). Without such a run, skipped: test_library_record fails and says why."""
    name = relative(path)
    ran = verified_releases.passing_library_run(name, _library_records(path))
    if ran is None:
        pytest.skip(
            f"{missing_library_reason(path)}; no passing run of it in its current form "
            "is recorded, so its messages are not known here (test_library_record)"
        )
    shown = [PrintedMessage(name, line, text) for line, text in ran.get("shown", [])]
    return shown, recorded_texts(path)


def _library_records(path: Path) -> list:
    """The records of runs with the libraries ``path`` requires (newest last)."""
    libraries = required_libraries(path)
    return [
        r
        for r in verified_releases.load_records()
        if all(library in r.data for library in libraries)
    ]


@pytest.mark.parametrize(
    "path", LIBRARY_EXAMPLES, ids=[relative(p) for p in LIBRARY_EXAMPLES]
)
def test_library_record(path: Path) -> None:
    """An example that `make test` cannot run (it needs torchvision) has a passing run of
    its file as it is now, and of each helper it imports, recorded in
    versions/verified.jsonl by its own make target: no silent skip."""
    name = relative(path)
    records = _library_records(path)
    if verified_releases.passing_library_run(name, records) is None:
        libraries = required_libraries(path)
        target = " / ".join(sorted({KNOWN_LIBRARIES[n] for n in libraries}))
        pytest.fail(
            verified_releases.stale_library_run(name, records, ", ".join(libraries))
            + f" Run `{target}` and commit versions/verified.jsonl.",
            pytrace=False,
        )


@cache
def _pages() -> dict:
    return find_pages()


@pytest.mark.parametrize("path", _params(EXAMPLES))
def test_lint(path: Path, update_examples: bool) -> None:
    if update_examples:
        source = path.read_text(encoding="utf-8")
        path.write_text(format_source(source, path), encoding="utf-8")
    problems = lint_problems(path)
    if problems:
        pytest.fail(problems, pytrace=False)


@pytest.mark.parametrize("path", _params(EXAMPLES))
def test_portable(path: Path) -> None:
    problems = portability_problems(path)
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_examples_exist() -> None:
    assert len(EXAMPLES) >= 15, "the site promises at least 15 tested examples"
