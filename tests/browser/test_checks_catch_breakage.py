"""The checks fail, naming the page, on a small deliberately broken site.

The site is plain HTML written to a temp dir, served like the real one: an external
script, a console error and a missing image, a dead link and a link to a section
without code in the comparison table, and a page with no English twin. Each test
also runs the check on a sound page, so a check that always fails would show.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from browser.checks import (
    load_problems,
    switch_problems,
    table_link_problems,
    twin_problems,
)
from browser.harness import SitePage, assert_clean, discover_pages, serve

pytestmark = pytest.mark.browser

SWITCH = """<div class="md-select">
  <a class="md-select__link" hreflang="ja" href="{ja}">日本語</a>
  <a class="md-select__link" hreflang="en" href="{en}">English</a>
</div>"""
PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<link rel="icon" href="data:,">{head}</head>
<body>{switch}<h1>{title}</h1>{body}</body></html>
"""
TABLE = """
<h2 id="comparison">Comparison</h2>
<table><tr><td><a href="#ex-ok">fine</a></td><td><a href="#ex-missing">dead</a></td>
<td><a href="#ex-nocode">no code</a></td></tr></table>
<h3 id="ex-ok">An example</h3>
<div class="highlight"><span class="filename">examples/answer/dropout.py</span>
<pre><code>print(1)</code></pre></div>
<h3 id="ex-nocode">Prose only</h3>
<p>No code here.</p>
<h2 id="end">End</h2>
"""
BROKEN = {
    "external": '<script src="https://cdn.example.com/lib.js"></script>',
    "noisy": '<script>console.error("boom")</script>',
}


def write_page(root: Path, lang: str, rel: str, head: str = "", body: str = "") -> None:
    prefix = "" if lang == "ja" else "../"
    depth = "../" * rel.count("/")
    links = {
        "ja": f"{depth}{prefix}{rel}",
        "en": f"{depth}{'en/' if lang == 'ja' else ''}{rel}",
    }
    folder = root / ("en" if lang == "en" else "") / rel
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(
        PAGE.format(
            lang=lang,
            title=f"{lang} {rel or 'home'}",
            head=head,
            switch=SWITCH.format(**links),
            body=body,
        ),
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("broken-site")
    for lang in ("ja", "en"):
        write_page(root, lang, "", body=TABLE)
        write_page(root, lang, "external/", head=BROKEN["external"])
        write_page(
            root,
            lang,
            "noisy/",
            head=BROKEN["noisy"],
            body='<img src="missing.png" alt="">',
        )
    write_page(root, "ja", "lonely/")  # no English twin
    with serve(root) as base:
        yield base, discover_pages(root, docs=None)


def failure(problems: list[str]) -> str:
    with pytest.raises(AssertionError) as raised:
        assert_clean(problems, "problems")
    return str(raised.value)


def test_an_external_script_fails_the_page(tab, broken_site):
    base, _ = broken_site
    assert load_problems(tab.page, tab.traffic, base, SitePage("en", "en/", None)) == []
    message = failure(
        load_problems(tab.page, tab.traffic, base, SitePage("ja", "external/", None))
    )
    assert (
        "/external/: request leaves loopback: https://cdn.example.com/lib.js" in message
    )
    tab.traffic.outside.clear()  # expected here; anywhere else it fails the test


def test_a_console_error_and_a_missing_image_fail_the_page(tab, broken_site):
    base, _ = broken_site
    message = failure(
        load_problems(tab.page, tab.traffic, base, SitePage("en", "en/noisy/", None))
    )
    assert "/en/noisy/: console error: boom" in message
    assert (
        "/en/noisy/: failed request: " in message
        and "missing.png (HTTP 404)" in message
    )


def test_a_dead_table_link_fails_naming_page_and_link(tab, broken_site):
    base, _ = broken_site
    problems = table_link_problems(tab.page, base, SitePage("en", "en/", None))
    message = failure(problems)
    assert (
        "/en/: #comparison link 'dead' → /en/#ex-missing: that page has no element"
        in message
    )
    assert "link 'no code' → /en/#ex-nocode: the section holds no code block" in message
    assert "'fine'" not in message


def test_a_missing_twin_fails_naming_the_page(tab, broken_site):
    base, pages = broken_site
    message = failure(twin_problems(pages))
    assert message.count("\n") == 1, message  # only the lonely page
    assert "/lonely/: no en twin (expected /en/lonely/)" in message
    assert switch_problems(tab.page, base, SitePage("en", "en/", None)) == []
    message = failure(switch_problems(tab.page, base, SitePage("ja", "lonely/", None)))
    assert (
        "/lonely/: the language switch to en opens /en/lonely/, which answers HTTP 404"
        in message
    )
