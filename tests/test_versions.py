"""The releases the site claims and the records of the runs on them (versions/).

The build expands each page's ``<!-- verified-releases -->`` from these records
(versions/verified_releases.py, a mkdocs hook); bad input must fail loudly at file:line.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

from support.examples import ROOT, available_devices

spec = importlib.util.spec_from_file_location(
    "verified_releases", ROOT / "versions/verified_releases.py"
)
vr = importlib.util.module_from_spec(spec)
sys.modules["verified_releases"] = vr  # dataclasses look their module up
spec.loader.exec_module(vr)

PIN = vr.pinned_torch()
GOOD = {
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


PAGE = (
    '```python title="examples/answer/dropout.py"\n--8<-- "examples/answer/dropout.py"\n```\n'
    "\n## Verified with { #verified }\n\n<!-- verified-releases -->\n\nPyTorch {pin}.\n"
)


def records(*data: dict) -> list:
    return [vr.Record(number, d) for number, d in enumerate(data, 1)]


def test_table_lists_each_claimed_release(tmp_path: Path) -> None:
    page = PAGE.replace("{pin}", PIN)
    text = vr.expand(page, "docs/en/x.md", "en", [PIN, "2.99.0"], records(GOOD))
    assert vr.MARKER not in text
    assert f"| {PIN} (pinned) | 2026-11-30 | CPU | 3.11.7 | all passed |" in text
    assert "| 2.99.0 | — | — | — | not run yet |" in text
    ja = vr.expand(page, "docs/ja/x.md", "ja", [PIN, "2.99.0"], records(GOOD))
    assert f"| {PIN}(固定版) | 2026-11-30 | CPU | 3.11.7 | すべて合格 |" in ja
    assert "| 2.99.0 | — | — | — | 未実行 |" in ja


def test_a_failure_on_the_page_needs_a_version_note() -> None:
    failed = {
        **GOOD,
        "torch": "2.99.0",
        "failed": 1,
        "failures": [FAILED_EXAMPLE],
    }
    page = PAGE.replace("{pin}", PIN)
    with pytest.raises(vr.RecordError) as caught:
        vr.expand(page, "docs/en/x.md", "en", [PIN, "2.99.0"], records(GOOD, failed))
    assert str(caught.value).startswith(
        "docs/en/x.md:7: on PyTorch 2.99.0 these failed"
    )
    noted = page + "\n!!! note\n    On PyTorch 2.99.0 dropout differs.\n"
    text = vr.expand(
        noted, "docs/en/x.md", "en", [PIN, "2.99.0"], records(GOOD, failed)
    )
    assert (
        "| 2.99.0 | 2026-11-30 | CPU | 3.11.7 | failed: `examples/answer/dropout.py` "
        "(see the version note) |"
    ) in text


def test_failures_of_other_pages_examples_do_not_concern_this_page() -> None:
    other = {
        **GOOD,
        "failed": 1,
        "failures": [FAILED_EXAMPLE.replace("answer/dropout", "detach/three_ways")],
    }
    page = PAGE.replace("{pin}", PIN)
    text = vr.expand(page, "docs/en/x.md", "en", [PIN], records(other))
    assert "all passed" in text
    # A failure that names no example (a page check, a build) concerns every page.
    general = {**GOOD, "failed": 1, "failures": ["tests/test_build.py::test_good"]}
    with pytest.raises(vr.RecordError, match="test_build.py::test_good"):
        vr.expand(page.replace(PIN, "x"), "docs/en/x.md", "en", [PIN], records(general))


def test_notebook_pages_are_expanded_in_their_html(tmp_path: Path) -> None:
    """mkdocs-jupyter renders notebooks itself: the hook expands the marker in the HTML."""
    notebook = tmp_path / "measure.py"
    notebook.write_text(
        f"# %% [markdown]\n# ## Verified with\n#\n# {vr.MARKER}\n#\n# PyTorch {PIN}.\n",
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


def test_record_of_a_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`record` reads pytest's JUnit file: passed, skipped and the failed test ids."""
    junit = tmp_path / "junit.xml"
    junit.write_text(
        '<testsuites><testsuite name="pytest">'
        '<testcase classname="tests.test_pages" name="test_a"/>'
        '<testcase classname="tests.test_examples" name="test_output[examples/answer/dropout.py-cpu]">'
        '<failure message="x"/></testcase>'
        '<testcase classname="tests.test_pages" name="test_b"><skipped/></testcase>'
        '<testcase classname="tests.test_pages" name="test_c"><error message="y"/></testcase>'
        "</testsuite></testsuites>",
        encoding="utf-8",
    )
    assert vr._junit_results(junit) == (
        1,
        1,
        [FAILED_EXAMPLE, "tests/test_pages.py::test_c"],
    )
    here = available_devices()
    release = torch.__version__.split("+")[
        0
    ]  # the torch of this run, maybe not the pin
    monkeypatch.setattr(vr, "load_releases", lambda *args: [release])
    same = {**GOOD, "torch": release, "devices": here}
    # The run replaces the record of the same release and devices, and keeps the others.
    path = write_records(tmp_path, {**same, "devices": ["mps"]}, same)
    assert vr.record(junit, expect=release, path=path) == 0
    written = vr.load_records(path)
    assert [(r.devices, r.failed) for r in written] == [(here, 2), (["mps"], 0)]
    assert vr.record(junit, expect="0.0.1", path=path) == 2
