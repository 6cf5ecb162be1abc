"""The strict build refuses what would publish a wrong page: these run real, tiny builds.

Each case is its own site and its own ``mkdocs build --strict`` with the site's own
configuration (inherited). The builds run one after the other in one separate process
(tests/support/build_sites.py), which imports mkdocs once for all of them; under xdist
the module is one work group (tests/support/work_groups.py), so that happens once.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from support.examples import ROOT
from support.hooks import load_hook
from support.records import verified_releases

japanese_text = load_hook("japanese_text")

HOME = "# Home { #home }\n"
GOOD = (
    '```python title="examples/answer/dropout.py"\n--8<-- "examples/answer/dropout.py"\n```\n'
    "\n## Verified with { #verified }\n\n<!-- verified-releases -->\n\nPyTorch.\n"
)
RELEASES = "# claimed\n{pin}\n9.9.9\n"
RECORD = {
    "torch": "{pin}",
    "build": "{pin}+cpu",
    "date": "2026-11-30",
    "devices": ["cpu"],
    "python": "3.11.7",
    "passed": 3,
    "failed": 0,
    "skipped": 0,
    "failures": [],
    "commit": "abc",
    # the example of GOOD, as it is now: so the page's cell says "all passed"
    "examples": {
        "examples/answer/dropout.py": {
            "sha256": verified_releases.file_digest(
                ROOT / "examples/answer/dropout.py"
            ),
            "cpu": "passed",
        }
    },
    "helpers": {},
}


def pin() -> str:
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("torch=="):
            return line.removeprefix("torch==")
    raise AssertionError("requirements.txt:1: torch is not pinned with ==")


def record_line(**changes: object) -> str:
    data = {**RECORD, "torch": pin(), "build": f"{pin()}+cpu", **changes}
    return json.dumps(data) + "\n"


# A page that starts with this has no description; every other Markdown page is given
# one (hooks/page_meta.py fails the build without).
NO_DESCRIPTION = "<!-- no description -->\n"
JAPANESE_TEXT = """
PyTorch で答えます。
どれも[リンク](#home)
で終わります。この
`model.eval()` の前は空けます。

- 箇条書きも
  つながります。

```text
コードは
そのままです
```
"""


def with_description(name: str, text: str) -> str:
    if not name.endswith(".md") or text.startswith(("---", NO_DESCRIPTION)):
        return text
    return f'---\ndescription: "The page {name} of a test site."\n---\n' + text


# name: pages, then the records file of the verified-releases hook (None: a good one)
SITES: dict[str, tuple[dict[str, str], str | None]] = {
    "missing-include": (
        {
            "index.md": HOME
            + '\n```python title="examples/answer/missing.py"\n'
            + '--8<-- "examples/answer/missing.py"\n```\n'
        },
        None,
    ),
    "missing-section": (
        {
            "index.md": HOME
            + '\n```python title="examples/answer/dropout.py"\n'
            + '--8<-- "examples/answer/dropout.py:nope"\n```\n'
        },
        None,
    ),
    "broken-link": ({"index.md": HOME + "\n[broken](nowhere.md)\n"}, None),
    "missing-anchor": ({"index.md": HOME + "\n[broken](#no-such-anchor)\n"}, None),
    "notebook-raises": (
        {
            "index.md": HOME,
            "notebook.py": '# %%\nprint("fine")\n\n# %%\nraise ValueError("this cell fails")\n',
        },
        None,
    ),
    "good": ({"index.md": HOME + "\n" + GOOD}, None),
    "malformed-record": (
        {"index.md": HOME + "\n" + GOOD},
        record_line() + record_line(torch="9.9.9", passed="many"),
    ),
    # hooks/page_meta.py: each page has a description of its own
    "no-description": ({"index.md": NO_DESCRIPTION + HOME}, None),
    "same-description": (
        {
            "index.md": '---\ndescription: "Twice."\n---\n' + HOME,
            "other.md": '---\ndescription: "Twice."\n---\n# Other { #other }\n',
        },
        None,
    ),
    # hooks/japanese_text.py: a line break inside a Japanese paragraph is no space
    "japanese-text": ({"index.md": HOME + JAPANESE_TEXT}, None),
    # hooks/search_index.py: one address twice in the search index fails the build
    "heading-without-id": (
        {"index.md": HOME + '\n<h2 id="">見出し</h2>\n\n本文。\n'},
        None,
    ),
}


class _AnyTagLoader(yaml.SafeLoader):
    """mkdocs' own tags (!ENV, !relative) read as nothing."""


_AnyTagLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
# mkdocs.yml's hooks (the test site's configuration is elsewhere: made absolute).
HOOKS = yaml.load(
    (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader
)["hooks"]


def write_site(directory: Path, pages: dict[str, str], records: str | None) -> Path:
    """A site with ``pages`` and the site's own configuration (inherited)."""
    docs = directory / "docs"
    for name, text in pages.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(
            with_description(name, textwrap.dedent(text).lstrip()), encoding="utf-8"
        )
    (directory / "examples").symlink_to(ROOT / "examples")  # includes resolve from here
    (directory / "torch-releases.txt").write_text(
        RELEASES.format(pin=pin()), encoding="utf-8"
    )
    (directory / "verified.jsonl").write_text(
        records if records is not None else record_line(), encoding="utf-8"
    )
    config = directory / "mkdocs.yml"
    config.write_text(
        textwrap.dedent(
            f"""
            INHERIT: {ROOT / "mkdocs.yml"}
            docs_dir: {docs}
            site_dir: {directory / "site"}
            theme:
              custom_dir: {ROOT / "overrides"}
            hooks: [{", ".join(str(ROOT / hook) for hook in HOOKS)}]
            extra:
              verified_releases:
                releases: {directory / "torch-releases.txt"}
                records: {directory / "verified.jsonl"}
            plugins:
              mkdocs-jupyter:
                cache_dir: {directory / "cache"}
            nav: [{", ".join(pages)}]
            """
        ),
        encoding="utf-8",
    )
    return config


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Every site in ``SITES``, built once: name -> returncode, output, site directory."""
    root = tmp_path_factory.mktemp("builds")
    configs = {
        name: write_site(root / name, pages, records)
        for name, (pages, records) in SITES.items()
    }
    results_file = root / "results.json"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "tests/support/build_sites.py"),
            str(results_file),
            *map(str, configs.values()),
        ],
        cwd=ROOT,  # pymdownx.snippets' base_path is relative to the working directory
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=True,
    )
    results = json.loads(results_file.read_text(encoding="utf-8"))
    return {
        name: {**result, "site": configs[name].parent / "site"}
        for name, result in zip(configs, results, strict=True)
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("missing-include", "examples/answer/missing.py"),
        ("missing-section", "nope"),
        ("broken-link", "nowhere.md"),
        ("missing-anchor", "no-such-anchor"),
    ],
)
def test_strict_build_fails(builds: dict[str, dict], name: str, expected: str) -> None:
    result = builds[name]
    assert result["returncode"] != 0, "the strict build passed a broken page"
    assert expected in result["output"]


def test_notebook_cell_that_raises_fails_the_build(builds: dict[str, dict]) -> None:
    result = builds["notebook-raises"]
    assert result["returncode"] != 0, "a notebook cell raised and the build passed"
    assert "this cell fails" in result["output"]


def test_good_page_builds(builds: dict[str, dict]) -> None:
    result = builds["good"]
    assert result["returncode"] == 0, result["output"]
    html = (result["site"] / "index.html").read_text(encoding="utf-8")
    assert "Dropout is switched off by eval() only" in html
    # The verified-releases marker became the table of releases (Japanese: the root).
    assert "<!-- verified-releases -->" not in html
    assert f"<td>{pin()}(固定版)</td>" in html
    assert "<td>すべて合格</td>" in html
    assert "<td>9.9.9</td>" in html and "<td>未実行</td>" in html


def test_malformed_record_fails_the_build(builds: dict[str, dict]) -> None:
    result = builds["malformed-record"]
    assert result["returncode"] != 0, "a malformed record and the build passed"
    records = (result["site"].parent / "verified.jsonl").resolve()
    assert f"{records}:2: passed must be a whole number, not 'many'" in result["output"]


@pytest.mark.parametrize(
    ("target", "site_url", "english"),
    [
        ("build", "", ""),
        ("build", "https://o.github.io/r/", "https://o.github.io/r/en/"),
        # test-browser sets the example Pages address for the build it depends on
        ("test-browser", "", "https://example.github.io/torch-grad-switches-guide/en/"),
    ],
)
def test_english_build_gets_its_address(
    target: str, site_url: str, english: str
) -> None:
    """The English site's address is SITE_URL + en/, however SITE_URL was set (an
    empty one made its 404 page load /assets/... from the host's root)."""
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "SITE_URL_EN")}
    if site_url:
        env["SITE_URL"] = site_url
    commands = subprocess.run(
        ["make", "--dry-run", "--no-print-directory", target],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f'export SITE_URL_EN="{english}"' in commands, commands


def test_page_without_description_fails_the_build(builds: dict[str, dict]) -> None:
    result = builds["no-description"]
    assert result["returncode"] != 0, (
        "a page without a description and the build passed"
    )
    assert "docs/index.md:1: add front matter" in result["output"]


def test_two_pages_with_one_description_fail_the_build(builds: dict[str, dict]) -> None:
    result = builds["same-description"]
    assert result["returncode"] != 0, "two pages, one description, and the build passed"
    assert "the same description as docs/" in result["output"]


def head_tags(html: str) -> dict[str, str]:
    """The page's <meta> tags: name or property -> content."""
    return {
        m["key"]: m["content"]
        for m in re.finditer(
            r'<meta (?:name|property)="(?P<key>[^"]+)" content="(?P<content>[^"]*)"',
            html,
        )
    }


def test_page_head_has_its_description_and_title(builds: dict[str, dict]) -> None:
    """The description of the page, for search engines and link previews (Open Graph,
    Twitter cards), with the page's own title (its heading)."""
    result = builds["good"]
    assert result["returncode"] == 0, result["output"]
    tags = head_tags((result["site"] / "index.html").read_text(encoding="utf-8"))
    mine = "The page index.md of a test site."
    assert tags["description"] == mine
    assert tags["og:description"] == tags["twitter:description"] == mine
    assert tags["og:title"] == tags["twitter:title"] == "Home"
    assert tags["twitter:card"] == "summary"
    assert tags["og:locale"] == "ja_JP"


def test_japanese_line_breaks_are_no_spaces(builds: dict[str, dict]) -> None:
    result = builds["japanese-text"]
    assert result["returncode"] == 0, result["output"]
    html = (result["site"] / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article") : html.index("</article>")]
    assert japanese_text.stray_spaces(article) == []
    assert "答えます。どれも" in article
    assert "</a>で終わります。この\n<code>" in article  # next to code: the space stays
    assert "箇条書きもつながります。" in article
    assert (
        "コードは\n" in article and "コードはそのままです" not in article
    )  # code: kept


def test_one_address_twice_in_the_search_index_fails_the_build(
    builds: dict[str, dict],
) -> None:
    result = builds["heading-without-id"]
    assert result["returncode"] != 0, "a page listed twice in the search index passed"
    assert "are both at ''" in result["output"]
