"""Each page's own description (hooks/page_meta.py), Japanese text without stray
spaces (hooks/japanese_text.py) and where code in a table may wrap (hooks/table_code.py):
the sources, and the hooks' rules without a build.

The built pages are checked by tests/test_build.py (a tiny build) and tests/browser
(the whole site: every page's head tags, every Japanese page's text).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from support.examples import ROOT
from support.hooks import load_hook

page_meta = load_hook("page_meta")
japanese_text = load_hook("japanese_text")
table_code = load_hook("table_code")

DOCS = ROOT / "docs"
JAPANESE = re.compile(f"[{japanese_text.JAPANESE}]")
# Long enough to say what the page answers, short enough for a search result snippet.
LENGTH = {"ja": (40, 120), "en": (80, 170)}


description_of = page_meta.source_description


PAGES = sorted(
    p
    for lang in ("ja", "en")
    for p in (DOCS / lang).iterdir()
    if p.suffix in (".md", ".py")
)


@pytest.mark.parametrize(
    "path", PAGES, ids=[p.relative_to(DOCS).as_posix() for p in PAGES]
)
def test_page_has_its_own_description(path: Path) -> None:
    lang = path.parent.name
    description = description_of(path)
    where = path.relative_to(ROOT)
    assert description, f'{where}:1: no description (front matter `description: "…"`)'
    low, high = LENGTH[lang]
    assert low <= len(description) <= high, (
        f"{where}:1: the description has {len(description)} characters, "
        f"not {low} to {high}"
    )
    if lang == "ja":
        assert JAPANESE.search(description), (
            f"{where}:1: the description is not Japanese"
        )
        assert description.endswith("。"), f"{where}:1: end the description with 。"
        assert ": " not in description, (
            f"{where}:1: no 「: 」 inside a Japanese sentence"
        )
    else:
        assert not JAPANESE.search(description), (
            f"{where}:1: Japanese in an English description"
        )
    others = [p for p in PAGES if p.parent == path.parent and p != path]
    same = [p.name for p in others if description_of(p) == description]
    assert not same, f"{where}:1: the same description as {same}"


def test_notebook_description_is_read_from_its_header() -> None:
    source = '# ---\n# jupyter:\n#   description: "速さです。"\n#   jupytext:\n#     formats: py:percent\n# ---\n\n# %%\nprint(1)\n'
    assert page_meta.notebook_description(source) == "速さです。"
    assert page_meta.notebook_description("# %%\nprint(1)\n") is None


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # the case from the issue: a source line break inside a paragraph
        ("<p>答えます。\nどれも</p>", "<p>答えます。どれも</p>"),
        ("<li>学習\n  モード</li>", "<li>学習モード</li>"),
        # an inline tag on either side of the break
        ('<p><a href="x">リンク</a>\nで</p>', '<p><a href="x">リンク</a>で</p>'),
        ("<p>ここは\n<strong>強調</strong></p>", "<p>ここは<strong>強調</strong></p>"),
        # next to code or English, the space is the house style: kept
        (
            "<p>この\n<code>model.eval()</code></p>",
            "<p>この\n<code>model.eval()</code></p>",
        ),
        ("<p>PyTorch\nでは</p>", "<p>PyTorch\nでは</p>"),
        # code is shown as written, and a typed space is the author's
        (
            "<pre><code>学習\nモード</code></pre>",
            "<pre><code>学習\nモード</code></pre>",
        ),
        ("<p>x <code>学習\nモード</code></p>", "<p>x <code>学習\nモード</code></p>"),
        ("<p>学習 モード</p>", "<p>学習 モード</p>"),
        # between two blocks, whitespace is not shown: left alone
        ("<p>一つ目。</p>\n<p>二つ目。</p>", "<p>一つ目。</p>\n<p>二つ目。</p>"),
    ],
)
def test_line_breaks_between_japanese_characters_are_removed(
    html: str, expected: str
) -> None:
    assert japanese_text.join_lines(html) == expected


def test_stray_spaces_are_found_outside_code_only() -> None:
    assert japanese_text.stray_spaces("<p>答えます。\nどれも</p>") == [
        "答えます。 どれも"
    ]
    assert japanese_text.stray_spaces("<pre><code>学習\nモード</code></pre>") == []
    assert japanese_text.stray_spaces("<p>一つ目。</p>\n<p>二つ目。</p>") == []


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            "<table><td><code>torch.ao.quantization.fuse_modules(m)</code></td></table>",
            "<table><td><code>torch.<wbr>ao.<wbr>quantization.<wbr>fuse_<wbr>modules"
            "(<wbr>m)</code></td></table>",
        ),
        # A name of SHORT (16) characters or fewer keeps no break point.
        (
            "<table><td><code>Trainer.evaluate</code></td></table>",
            "<table><td><code>Trainer.evaluate</code></td></table>",
        ),
        # Through highlighting tags, and not before a non-letter (`__init__`, `f()`).
        (
            '<table><td><code><span class="n">nn</span>.<span>Module</span>'
            "(x) and __init__()</code></td></table>",
            '<table><td><code><span class="n">nn</span>.<wbr><span>Module</span>'
            "(<wbr>x) and __<wbr>init__()</code></td></table>",
        ),
        # Code outside a table is left as it is.
        (
            "<p><code>torch.ao.quantization.fuse_modules</code></p>",
            "<p><code>torch.ao.quantization.fuse_modules</code></p>",
        ),
    ],
    ids=["long-name", "short-name", "highlighted", "outside-a-table"],
)
def test_table_code_breaks_only_between_the_parts_of_a_long_name(
    html: str, expected: str
) -> None:
    assert table_code.break_points(html) == expected
