"""The releases the site claims and the records of the runs on them (versions/).

The build expands each page's ``<!-- verified-releases -->`` from these records
(versions/verified_releases.py, a mkdocs hook); bad input must fail loudly at file:line.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

from support.examples import ROOT, available_devices
from support.records import verified_releases as vr

PIN = vr.pinned_torch()
DROPOUT = "examples/answer/dropout.py"
THREE_WAYS = "examples/detach/three_ways.py"
DDP = "examples/training_stack/ddp_frozen_parameters.py"  # imports _two_ranks.py
TWO_RANKS = "examples/training_stack/_two_ranks.py"
CUDA_ONLY = "examples/training_stack/cudnn_rnn_backward_in_eval.py"  # requires: cuda
STALE = "0" * 16  # the digest of a content that is not the file's any more


def now(example: str) -> str:
    """The digest of ``example`` as it is in the working tree."""
    return vr.file_digest(ROOT / example)


def ran(*examples: str, outcome: str = "passed") -> dict:
    """The ``examples`` of a record in which each of ``examples`` ran as it is now."""
    return {example: {"sha256": now(example), "cpu": outcome} for example in examples}


OLD = {
    "torch": PIN,
    "build": f"{PIN}+cpu",
    "date": "2026-11-30",
    "devices": ["cpu"],
    "python": "3.11.7",
    "passed": 10,
    "failed": 0,
    "skipped": 1,
    "failures": [],
    "commit": "0123456789ab",
}
# A record as every run writes it now: what ran, as it ran.
GOOD = {**OLD, "examples": ran(DROPOUT), "helpers": {}}
FAILED_EXAMPLE = "tests/test_examples.py::test_output[examples/answer/dropout.py-cpu]"


def write_records(tmp_path: Path, *records: dict | str) -> Path:
    path = tmp_path / "verified.jsonl"
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records),
        encoding="utf-8",
    )
    return path


def test_committed_releases_and_records_are_well_formed() -> None:
    releases = vr.load_releases()
    assert releases[0] == PIN, "versions/torch-releases.txt must start with the pin"
    assert releases == sorted(releases, key=lambda r: tuple(map(int, r.split("."))))
    for record in vr.load_records():
        assert record.torch in releases


def test_the_marker_is_the_one_the_page_check_requires() -> None:
    text = (ROOT / "tests/test_pages.py").read_text(encoding="utf-8")
    assert f'MARKER = "{vr.MARKER}"' in text


FAILED_DDP = "tests/test_examples.py::test_output[examples/training_stack/ddp_frozen_parameters.py-cpu]"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"torch": ', "not JSON"),
        (json.dumps([1]), "a record is a JSON object"),
        (json.dumps({k: v for k, v in GOOD.items() if k != "date"}), "missing date"),
        (json.dumps({**GOOD, "colour": "red"}), "unknown colour"),
        (json.dumps({**GOOD, "passed": "10"}), "passed must be a whole number"),
        (json.dumps({**GOOD, "passed": True}), "passed must be a whole number"),
        (json.dumps({**GOOD, "torch": "1.0.0"}), "torch 1.0.0 is not in"),
        (json.dumps({**GOOD, "date": "30/11/2026"}), "date must be YYYY-MM-DD"),
        (json.dumps({**GOOD, "failed": 1}), "failed is 1 but failures lists 0"),
        (json.dumps({**GOOD, "devices": ["gpu"]}), "devices must be some of"),
        (json.dumps({**GOOD, "passed": 0}), "verifies nothing"),
        # what ran: the examples and their helpers, as they ran
        (
            json.dumps({k: v for k, v in GOOD.items() if k != "helpers"}),
            "examples without helpers: they are written together",
        ),
        (json.dumps({**GOOD, "examples": []}), "examples must be an object"),
        (
            json.dumps({**GOOD, "examples": {"answer/dropout.py": {}}}),
            "examples: 'answer/dropout.py' is not an example",
        ),
        (
            json.dumps(
                {**GOOD, "examples": {DROPOUT: {"sha256": "abc", "cpu": "passed"}}}
            ),
            f"examples: {DROPOUT}: sha256 must be 16 hex digits",
        ),
        (
            json.dumps({**GOOD, "examples": {DROPOUT: {"sha256": STALE}}}),
            f"examples: {DROPOUT}: no outcome on any device",
        ),
        (
            json.dumps(
                {**GOOD, "examples": {DROPOUT: {"sha256": STALE, "cuda": "passed"}}}
            ),
            f"examples: {DROPOUT} passed on cuda, which is not one of the run's "
            "devices (cpu)",
        ),
        (
            json.dumps(
                {**GOOD, "examples": {DROPOUT: {"sha256": STALE, "gpu": "passed"}}}
            ),
            f"examples: {DROPOUT}: 'gpu' is not a device (cpu, cuda, mps)",
        ),
        (
            json.dumps({**GOOD, "examples": {DROPOUT: {"sha256": STALE, "cpu": "ok"}}}),
            f"examples: {DROPOUT}: cpu must be one of passed, failed, skipped, not 'ok'",
        ),
        (
            json.dumps({**GOOD, "examples": ran(DROPOUT, outcome="failed")}),
            f"examples: {DROPOUT} failed on cpu, but failures does not list {FAILED_EXAMPLE}",
        ),
        (
            json.dumps({**GOOD, "failed": 1, "failures": [FAILED_EXAMPLE]}),
            f"examples: {DROPOUT} passed on cpu, but failures lists {FAILED_EXAMPLE}",
        ),
        (
            json.dumps({**GOOD, "helpers": {"examples/detach/three_ways.py": STALE}}),
            "helpers: 'examples/detach/three_ways.py' is not a helper",
        ),
        (
            json.dumps({**GOOD, "helpers": {TWO_RANKS: "two ranks"}}),
            f"helpers: {TWO_RANKS}: 'two ranks' is not 16 hex digits",
        ),
    ],
)
def test_malformed_record_names_file_and_line(
    tmp_path: Path, line: str, message: str
) -> None:
    path = write_records(tmp_path, GOOD, "", line)
    with pytest.raises(vr.RecordError) as caught:
        vr.load_records(path, [PIN])
    assert str(caught.value).startswith(f"{path}:3: ")
    assert message in str(caught.value)


def test_a_record_from_before_records_named_what_ran_is_still_read(
    tmp_path: Path,
) -> None:
    path = write_records(tmp_path, OLD, GOOD)
    assert [set(r.data) - set(OLD) for r in vr.load_records(path, [PIN])] == [
        set(),
        {"examples", "helpers"},
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# comment\n2.99.0\n", ":2: the first release must be the pin"),
        (f"{PIN}\nlatest\n", ":2: 'latest' is not a release"),
        (f"{PIN}\n2.99.0\n2.99.0\n", ":3: 2.99.0 is listed twice"),
    ],
)
def test_bad_releases_list_names_file_and_line(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "torch-releases.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(vr.RecordError, match=re.escape(f"{path}{message}")):
        vr.load_releases(path)


# --- what the digests cover -------------------------------------------------------------


def test_a_digest_is_the_start_of_the_files_sha256() -> None:
    import hashlib

    data = (ROOT / DROPOUT).read_bytes()
    assert now(DROPOUT) == hashlib.sha256(data).hexdigest()[:16]


def test_an_examples_run_depends_on_the_helpers_it_imports() -> None:
    assert vr.helpers_of(ROOT / DDP) == [ROOT / TWO_RANKS]
    assert vr.content_digests(ROOT / DDP) == {DDP: now(DDP), TWO_RANKS: now(TWO_RANKS)}
    # `from __future__ import …` and the library imports are not helpers
    assert vr.helpers_of(ROOT / DROPOUT) == []


def test_a_helper_imported_by_a_helper_counts_too(tmp_path: Path) -> None:
    (tmp_path / "example.py").write_text("import _a\n", encoding="utf-8")
    (tmp_path / "_a.py").write_text(
        "from _b import f\nimport torch\n", encoding="utf-8"
    )
    (tmp_path / "_b.py").write_text("def f(): pass\n", encoding="utf-8")
    (tmp_path / "_unused.py").write_text("", encoding="utf-8")
    assert vr.helpers_of(tmp_path / "example.py") == [
        tmp_path / "_a.py",
        tmp_path / "_b.py",
    ]


# --- the table of a page ---------------------------------------------------------------

PAGE = (
    '```python title="examples/answer/dropout.py"\n--8<-- "examples/answer/dropout.py"\n```\n'
    "\n## Verified with { #verified }\n\n<!-- verified-releases -->\n\nPyTorch {pin}.\n"
)
# A page with three examples, one of which imports a helper that the page shows too.
PAGE3 = (
    "".join(
        f'```python title="{e}"\n--8<-- "{e}"\n```\n'
        for e in (DROPOUT, THREE_WAYS, DDP)
    )
    + f"The ranks start in `{TWO_RANKS}`.\n"
    + "\n## Verified with { #verified }\n\n<!-- verified-releases -->\n\nPyTorch {pin}.\n"
)
NOTE = "\n!!! note\n    On PyTorch {release} dropout differs.\n"


def records(*data: dict) -> list:
    """Records as the hook reads them; each must be well-formed (as load_records checks)."""
    for d in data:
        assert vr._check_record(d, [PIN, "2.99.0"]) is None, d
    return [vr.Record(number, d) for number, d in enumerate(data, 1)]


def cells(page: str, *data: dict) -> dict[str, str]:
    """The page's cell in the row of the only record, in each language."""
    found = {}
    for language in ("en", "ja"):
        text = vr.expand(
            page.replace("{pin}", PIN),
            f"docs/{language}/x.md",
            language,
            [PIN],
            records(*data),
        )
        (row,) = [line for line in text.splitlines() if line.startswith(f"| {PIN}")]
        found[language] = row.split(" | ")[-1].removesuffix(" |")
    return found


ALL_RAN = {
    **GOOD,
    "examples": ran(DROPOUT, THREE_WAYS, DDP),
    "helpers": {TWO_RANKS: now(TWO_RANKS)},
}


def with_examples(**examples: dict | None) -> dict:
    """ALL_RAN with the entries of some examples replaced (None: not in the record)."""
    entries = {**ALL_RAN["examples"]}
    for name, entry in examples.items():
        example = {"dropout": DROPOUT, "three_ways": THREE_WAYS, "ddp": DDP}[name]
        if entry is None:
            del entries[example]
        else:
            entries[example] = entry
    return {**ALL_RAN, "examples": entries}


FAILED_NOW = {
    **with_examples(dropout=ran(DROPOUT, outcome="failed")[DROPOUT]),
    "failed": 1,
    "failures": [FAILED_EXAMPLE],
}
NOT_RUN_NOW_EN = "2 of 3 passed; 1 not run on this release in their current form"
NOT_RUN_NOW_JA = "3 件中 2 件合格、1 件は現在の内容ではこのリリースで未実行"


@pytest.mark.parametrize(
    ("record", "en", "ja"),
    [
        pytest.param(ALL_RAN, "all passed", "すべて合格", id="all-ran-as-now"),
        pytest.param(
            with_examples(dropout={"sha256": STALE, "cpu": "passed"}),
            NOT_RUN_NOW_EN,
            NOT_RUN_NOW_JA,
            id="stale-hash",
        ),
        pytest.param(
            with_examples(three_ways=None),
            NOT_RUN_NOW_EN,
            NOT_RUN_NOW_JA,
            id="missing-example",
        ),
        pytest.param(
            {**ALL_RAN, "helpers": {TWO_RANKS: STALE}},
            NOT_RUN_NOW_EN,
            NOT_RUN_NOW_JA,
            id="stale-helper",
        ),
        pytest.param(
            {**ALL_RAN, "helpers": {}},
            NOT_RUN_NOW_EN,
            NOT_RUN_NOW_JA,
            id="helper-not-recorded",
        ),
        pytest.param(
            {
                **with_examples(dropout={"sha256": STALE, "cpu": "failed"}),
                "failed": 1,
                "failures": [FAILED_EXAMPLE],
            },
            NOT_RUN_NOW_EN,
            NOT_RUN_NOW_JA,
            id="failure-of-an-older-content",
        ),
        pytest.param(
            {
                **ALL_RAN,
                "devices": ["cpu", "cuda"],
                "examples": {
                    **{
                        e: {**r, "cuda": "skipped"}
                        for e, r in ALL_RAN["examples"].items()
                    },
                },
            },
            "0 of 3 passed; 3 not run on this release in their current form",
            "3 件中 0 件合格、3 件は現在の内容ではこのリリースで未実行",
            id="skipped-on-a-device",
        ),
        pytest.param(
            OLD,
            "0 of 3 passed; 3 not run on this release in their current form",
            "3 件中 0 件合格、3 件は現在の内容ではこのリリースで未実行",
            id="old-format-record",
        ),
        pytest.param(
            FAILED_NOW,
            "2 of 3 passed; failed: `examples/answer/dropout.py` (see the version note)",
            "3 件中 2 件合格、不合格: `examples/answer/dropout.py`(バージョンの注記を参照)",
            id="failure",
        ),
        pytest.param(
            {
                **with_examples(
                    dropout=ran(DROPOUT, outcome="failed")[DROPOUT], three_ways=None
                ),
                "failed": 1,
                "failures": [FAILED_EXAMPLE],
            },
            "1 of 3 passed; 1 not run on this release in their current form; "
            "failed: `examples/answer/dropout.py` (see the version note)",
            "3 件中 1 件合格、1 件は現在の内容ではこのリリースで未実行、"
            "不合格: `examples/answer/dropout.py`(バージョンの注記を参照)",
            id="failure-and-missing-example",
        ),
    ],
)
def test_a_page_passes_only_with_what_ran_as_it_is_now(
    record: dict, en: str, ja: str
) -> None:
    page = PAGE3 + NOTE.format(release=PIN)  # a failure needs a version note
    assert cells(page, record) == {"en": en, "ja": ja}


def test_an_example_that_needs_another_device_is_not_run_without_it() -> None:
    """`# requires: cuda` on a CPU-only run: skipped, so not verified there."""
    page = PAGE.replace(DROPOUT, CUDA_ONLY)
    skipped = {
        **GOOD,
        "examples": {CUDA_ONLY: {"sha256": now(CUDA_ONLY), "cuda": "skipped"}},
    }
    assert cells(page, skipped)["en"] == (
        "0 of 1 passed; 1 not run on this release in their current form"
    )


def test_a_page_without_examples_says_so() -> None:
    page = PAGE.split("## Verified")[1]
    assert cells("## Verified" + page, GOOD) == {
        "en": "no examples on this page",
        "ja": "このページに例はありません",
    }


def test_table_lists_each_claimed_release(tmp_path: Path) -> None:
    page = PAGE.replace("{pin}", PIN)
    text = vr.expand(page, "docs/en/x.md", "en", [PIN, "2.99.0"], records(GOOD))
    assert vr.MARKER not in text
    assert (
        "An example counts as passed on a release only if its file as it is now" in text
    )
    assert f"| {PIN} (pinned) | 2026-11-30 | CPU | 3.11.7 | all passed |" in text
    assert "| 2.99.0 | — | — | — | not run yet |" in text
    ja = vr.expand(page, "docs/ja/x.md", "ja", [PIN, "2.99.0"], records(GOOD))
    assert "例を合格と数えるのは、現在の内容のファイルがそのリリースで実行され" in ja
    assert f"| {PIN}(固定版) | 2026-11-30 | CPU | 3.11.7 | すべて合格 |" in ja
    assert "| 2.99.0 | — | — | — | 未実行 |" in ja


def test_a_failure_on_the_page_needs_a_version_note() -> None:
    failed = {
        **GOOD,
        "torch": "2.99.0",
        "examples": ran(DROPOUT, outcome="failed"),
        "failed": 1,
        "failures": [FAILED_EXAMPLE],
    }
    page = PAGE.replace("{pin}", PIN)
    with pytest.raises(vr.RecordError) as caught:
        vr.expand(page, "docs/en/x.md", "en", [PIN, "2.99.0"], records(GOOD, failed))
    assert str(caught.value).startswith(
        "docs/en/x.md:7: on PyTorch 2.99.0 these failed"
    )
    noted = page + NOTE.format(release="2.99.0")
    text = vr.expand(
        noted, "docs/en/x.md", "en", [PIN, "2.99.0"], records(GOOD, failed)
    )
    assert (
        "| 2.99.0 | 2026-11-30 | CPU | 3.11.7 | 0 of 1 passed; "
        "failed: `examples/answer/dropout.py` (see the version note) |"
    ) in text
    # The failure of an older content of the example needs no note: it says nothing now.
    older = {**failed, "examples": {DROPOUT: {"sha256": STALE, "cpu": "failed"}}}
    text = vr.expand(page, "docs/en/x.md", "en", [PIN, "2.99.0"], records(GOOD, older))
    assert "| 2.99.0 | 2026-11-30 | CPU | 3.11.7 | 0 of 1 passed; 1 not run" in text


def test_failures_of_other_pages_examples_do_not_concern_this_page() -> None:
    failed = "tests/test_examples.py::test_output[examples/detach/three_ways.py-cpu]"
    other = {
        **GOOD,
        "examples": {**GOOD["examples"], **ran(THREE_WAYS, outcome="failed")},
        "failed": 1,
        "failures": [failed],
    }
    page = PAGE.replace("{pin}", PIN)
    text = vr.expand(page, "docs/en/x.md", "en", [PIN], records(other))
    assert "all passed" in text
    # A failure that names no example (a page check, a build) concerns every page.
    general = {**GOOD, "failed": 1, "failures": ["tests/test_build.py::test_good"]}
    with pytest.raises(vr.RecordError, match="test_build.py::test_good"):
        vr.expand(page.replace(PIN, "x"), "docs/en/x.md", "en", [PIN], records(general))
    assert cells(page, general)["en"] == (
        "1 of 1 passed; failed: `tests/test_build.py::test_good` (see the version note)"
    )


def test_notebook_pages_are_expanded_in_their_html(tmp_path: Path) -> None:
    """mkdocs-jupyter renders notebooks itself: the hook expands the marker in the HTML."""
    notebook = tmp_path / "measure.py"
    notebook.write_text(
        f"# %% [markdown]\n# Measured by `{DROPOUT}`.\n# ## Verified with\n#\n"
        f"# {vr.MARKER}\n#\n# PyTorch {PIN}.\n",
        encoding="utf-8",
    )
    vr._loaded.update(releases=[PIN], records=records(GOOD))
    page = SimpleNamespace(file=SimpleNamespace(abs_src_path=str(notebook)))
    config = {"theme": {"language": "en"}}
    html = vr.on_page_content(
        f"<h2>Verified with</h2>{vr.MARKER}\n", page, config, None
    )
    assert vr.MARKER not in html
    assert f"<td>{PIN} (pinned)</td>" in html and "<td>all passed</td>" in html


# --- recording a run --------------------------------------------------------------------


def junit_case(test: str, result: str = "", **digests: str) -> str:
    module, name = test.split("::")
    properties = "".join(
        f'<property name="sha256:{file}" value="{digest}"/>'
        for file, digest in digests.items()
    )
    return (
        f'<testcase classname="{module.removesuffix(".py").replace("/", ".")}" name="{name}">'
        f"<properties>{properties}</properties>{result}</testcase>"
    )


def test_record_of_a_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`record` reads pytest's JUnit file: counts, failed ids, and what each example ran."""
    ddp_cpu = vr.output_test(DDP, "cpu")
    junit = tmp_path / "junit.xml"
    junit.write_text(
        '<testsuites><testsuite name="pytest">'
        + junit_case("tests/test_pages.py::test_a")
        + junit_case(
            FAILED_EXAMPLE, '<failure message="x"/>', **{DROPOUT: now(DROPOUT)}
        )
        + junit_case("tests/test_pages.py::test_b", "<skipped/>")
        + junit_case("tests/test_pages.py::test_c", '<error message="y"/>')
        + junit_case(ddp_cpu, **{DDP: now(DDP), TWO_RANKS: now(TWO_RANKS)})
        + junit_case(
            vr.output_test(CUDA_ONLY, "cuda"),
            "<skipped/>",
            **{CUDA_ONLY: now(CUDA_ONLY)},
        )
        + "</testsuite></testsuites>",
        encoding="utf-8",
    )
    run = vr.read_junit(junit)
    assert (run.passed, run.skipped) == (2, 2)
    assert run.failures == [FAILED_EXAMPLE, "tests/test_pages.py::test_c"]
    assert run.examples == {
        DROPOUT: {"sha256": now(DROPOUT), "cpu": "failed"},
        CUDA_ONLY: {"sha256": now(CUDA_ONLY), "cuda": "skipped"},
        DDP: {"sha256": now(DDP), "cpu": "passed"},
    }
    assert run.helpers == {TWO_RANKS: now(TWO_RANKS)}

    here = available_devices()
    # the torch of this run, maybe not the pin
    release = torch.__version__.split("+")[0]
    monkeypatch.setattr(vr, "load_releases", lambda *args: [release])
    same = {**GOOD, "torch": release, "devices": here}
    # The run replaces the record of the same release and devices, and keeps the others.
    path = write_records(tmp_path, {**OLD, "torch": release, "devices": ["mps"]}, same)
    assert vr.record(junit, expect=release, path=path) == 0
    written = vr.load_records(path)
    assert [(r.devices, r.failed) for r in written] == [(here, 2), (["mps"], 0)]
    assert written[0].examples[DDP] == {"sha256": now(DDP), "cpu": "passed"}
    assert written[0].helpers == {TWO_RANKS: now(TWO_RANKS)}
    # skipped where cuda is missing, even though the run's devices may not include cuda
    assert written[0].examples[CUDA_ONLY] == {
        "sha256": now(CUDA_ONLY),
        "cuda": "skipped",
    }
    assert vr.record(junit, expect="0.0.1", path=path) == 2


def test_a_file_that_changed_during_the_run_is_not_recorded(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    junit.write_text(
        "<testsuites><testsuite>"
        + junit_case(vr.output_test(DROPOUT, "cpu"), **{DROPOUT: now(DROPOUT)})
        + junit_case(vr.output_test(DROPOUT, "cuda"), **{DROPOUT: STALE})
        + junit_case(vr.output_test(DDP, "cpu"), **{DDP: now(DDP), TWO_RANKS: STALE})
        + junit_case(
            vr.output_test(DDP, "cuda"), **{DDP: now(DDP), TWO_RANKS: now(TWO_RANKS)}
        )
        + "</testsuite></testsuites>",
        encoding="utf-8",
    )
    run = vr.read_junit(junit)
    assert run.examples == {
        DDP: {"sha256": now(DDP), "cpu": "passed", "cuda": "passed"}
    }
    assert run.helpers == {}  # so DDP counts as not run in its current form


def test_the_example_tests_leave_what_ran_in_the_junit_file(tmp_path: Path) -> None:
    """End to end: a real `test_output` run, read back as `record` reads it."""
    junit = tmp_path / "junit.xml"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-n",
            "0",
            "-p",
            "no:cacheprovider",
            "-q",
            f"--junitxml={junit}",
            f"tests/test_examples.py::test_output[{DROPOUT}-cpu]",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    run = vr.read_junit(junit)
    assert run.examples == {DROPOUT: {"sha256": now(DROPOUT), "cpu": "passed"}}
    assert "PytestWarning" not in result.stdout  # record_property would warn (xunit2)


# --- the venv a run uses ----------------------------------------------------------------


def test_a_venv_must_hold_exactly_the_pins(tmp_path: Path) -> None:
    from importlib import metadata

    requirements = tmp_path / "requirements.txt"
    requirements.write_text(
        "# pins\n"
        f"pytest=={metadata.version('pytest')}\n"
        "torch==1.0.0\n"
        "pluggy==0.0.1\n"
        "no-such-package-here==1.0\n",
        encoding="utf-8",
    )
    release = torch.__version__.split("+")[0]
    assert vr.venv_problems(release, requirements) == [
        f"{requirements}:4: pluggy==0.0.1, but {metadata.version('pluggy')} is installed",
        f"{requirements}:5: no-such-package-here==1.0, but it is not installed",
    ]
    assert vr.venv_problems("0.0.1", requirements)[0] == (
        f"{requirements}:3: torch==0.0.1, but {metadata.version('torch')} is installed"
    )


# --- a run with a library (make test-vision) ---------------------------------------------

# What `make test-vision` records: the examples that need torchvision (here DROPOUT stands
# for one), with the version of torchvision and the messages each example showed.
VISION = {
    **GOOD,
    "build": f"{PIN}+cu130",
    "torchvision": "0.29.1+cu130",
    "examples": {DROPOUT: {**ran(DROPOUT)[DROPOUT], "shown": [[7, "a message"]]}},
}


def test_a_library_run_has_a_row_on_the_pages_that_show_its_examples() -> None:
    page = PAGE.replace("{pin}", PIN)
    text = vr.expand(page, "docs/en/x.md", "en", [PIN], records(GOOD, VISION))
    assert f"| {PIN} (pinned) | 2026-11-30 | CPU | 3.11.7 | all passed |" in text
    assert (
        f"| `{PIN}+cu130` (pinned) + torchvision `0.29.1+cu130` | 2026-11-30 "
        "| CPU | 3.11.7 | all passed |"
    ) in text
    assert "A row that names torchvision is a run of `make test-vision`" in text
    ja = vr.expand(page, "docs/ja/x.md", "ja", [PIN], records(GOOD, VISION))
    assert (
        "+ torchvision `0.29.1+cu130` | 2026-11-30 | CPU | 3.11.7 | すべて合格 |" in ja
    )
    assert "torchvision を記した行は `make test-vision` の記録です" in ja
    # a page that shows none of its examples has no row for it, nor the sentence
    other = page.replace(DROPOUT, THREE_WAYS)
    text = vr.expand(other, "docs/en/x.md", "en", [PIN], records(GOOD, VISION))
    assert "torchvision" not in text
    assert f"| {PIN} (pinned) | 2026-11-30 | CPU" in text
    # a release with nothing but a library run is "not run yet" on such a page
    text = vr.expand(other, "docs/en/x.md", "en", [PIN], records(VISION))
    assert f"| {PIN} (pinned) | — | — | — | not run yet |" in text


DETECTION = "examples/detection/modes.py"  # has the line `# requires: torchvision`


def test_a_whole_suite_run_says_an_example_that_needs_torchvision_was_not_run() -> None:
    """A run of the whole suite (make test-torch) in a venv without torchvision skips
    `# requires: torchvision`: its row says so and points at the torchvision row. One in a
    venv that has torchvision (TORCH_VENV=.venv-vision) ran it: that outcome counts."""
    assert vr.libraries_required(DETECTION) == ["torchvision"]
    assert vr.libraries_required(DROPOUT) == []
    only = PAGE.replace(DROPOUT, DETECTION)
    expected = {
        "en": "1 not run: they need torchvision (see the torchvision row)",
        "ja": "1 件は torchvision が必要なため未実行(torchvision の行を参照)",
    }
    assert cells(only, GOOD) == expected
    skipped = {**GOOD, "examples": ran(DETECTION, outcome="skipped")}
    assert cells(only, skipped) == expected
    helper = "examples/detection/_detection.py"
    with_library = {
        **GOOD,
        "examples": ran(DETECTION),
        "helpers": {helper: now(helper)},
    }
    assert cells(only, with_library) == {"en": "all passed", "ja": "すべて合格"}
    both = PAGE + PAGE.replace(DROPOUT, DETECTION).split("## Verified")[0]
    assert cells(both, GOOD)["en"] == (
        "1 of 2 passed; 1 not run: they need torchvision (see the torchvision row)"
    )
    # the run with torchvision counts it as usual
    helper = "examples/detection/_detection.py"
    vision = {**VISION, "examples": ran(DETECTION), "helpers": {helper: now(helper)}}
    text = vr.expand(only.replace("{pin}", PIN), "x.md", "en", [PIN], records(vision))
    assert (
        "+ torchvision `0.29.1+cu130` | 2026-11-30 | CPU | 3.11.7 | all passed |"
        in text
    )


def test_a_library_run_verifies_an_example_only_as_it_is_now() -> None:
    records_ = records(VISION)
    assert vr.passing_library_run(DROPOUT, records_) == VISION["examples"][DROPOUT]
    stale = {**VISION, "examples": {DROPOUT: {"sha256": STALE, "cpu": "passed"}}}
    assert vr.passing_library_run(DROPOUT, records(stale)) is None
    assert vr.stale_library_run(DROPOUT, records(stale), "torchvision") == (
        f"{DROPOUT}: no run with torchvision of it as it is now ({DROPOUT} "
        f"{now(DROPOUT)}) passed in versions/verified.jsonl: the last one (2026-11-30) "
        f"ran another content: {DROPOUT} ran as {STALE}."
    )
    failed = {
        **VISION,
        "examples": ran(DROPOUT, outcome="failed"),
        "failed": 1,
        "failures": [FAILED_EXAMPLE],
    }
    assert vr.passing_library_run(DROPOUT, records(failed)) is None
    assert vr.stale_library_run(DROPOUT, records(failed), "torchvision").endswith(
        f"in the last one (2026-11-30) it did not pass (cpu failed; failed: "
        f"{FAILED_EXAMPLE})."
    )
    assert vr.stale_library_run(DROPOUT, [], "torchvision").endswith(
        "no run with torchvision names it."
    )
    # the newest run that passed counts, even after a newer one of another content
    assert vr.passing_library_run(DROPOUT, records(VISION, stale)) is not None


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"torchvision": 29}, "torchvision must be text, not 29"),
        (
            {"examples": {DROPOUT: {**ran(DROPOUT)[DROPOUT], "shown": ["a message"]}}},
            f"examples: {DROPOUT}: shown must be a list of [line, message]",
        ),
    ],
    ids=["library-version", "shown"],
)
def test_a_malformed_library_record_is_named(change: dict, problem: str) -> None:
    assert vr._check_record({**VISION, **change}, [PIN]) == problem


def test_record_of_a_library_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`record --with torchvision==…`: the version and the messages shown are kept, and
    the record stands beside the run of the whole suite on the same release."""
    junit = tmp_path / "junit.xml"
    shown = f'<property name="shown:{DROPOUT}" value="[7, &quot;a message&quot;]"/>'
    junit.write_text(
        "<testsuites><testsuite>"
        + junit_case(vr.output_test(DROPOUT, "cpu"), **{DROPOUT: now(DROPOUT)})
        + junit_case(f"tests/test_examples.py::test_error_index[{DROPOUT}]").replace(
            "<properties>", "<properties>" + shown
        )
        + "</testsuite></testsuites>",
        encoding="utf-8",
    )
    release = torch.__version__.split("+")[0]
    here = available_devices()
    monkeypatch.setattr(vr, "load_releases", lambda *args: [release])
    monkeypatch.setattr(
        vr,
        "installed_libraries",
        lambda wanted: ({"torchvision": f"{wanted['torchvision']}+cu130"}, []),
    )
    whole = {**GOOD, "torch": release, "devices": here}
    path = write_records(tmp_path, whole)
    libraries = {"torchvision": "0.29.1"}
    assert vr.record(junit, expect=release, path=path, libraries=libraries) == 0
    assert vr.record(junit, expect=release, path=path, libraries=libraries) == 0
    written = vr.load_records(path)
    assert [r.data.get("torchvision") for r in written] == [None, "0.29.1+cu130"]
    assert written[1].examples[DROPOUT] == {
        "sha256": now(DROPOUT),
        "cpu": "passed",
        "shown": [[7, "a message"]],
    }


def test_a_library_that_does_not_load_is_not_recorded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(vr.LIBRARY_KEYS, "no_such_library_here", str)
    found, problems = vr.installed_libraries(
        {"no_such_library_here": "1.0", "pytest": "1.0"}
    )
    assert found == {}
    assert problems == [
        "no_such_library_here==1.0, but it does not load: No module named "
        "'no_such_library_here'",
        "pytest is not one of torchvision, no_such_library_here",
    ]
