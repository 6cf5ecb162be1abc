"""The checks fail, naming the page, on a small deliberately broken site.

The site is plain HTML written to a temp dir, served like the real one: an external
script, a console error and a missing image, a dead link and a link to a section
without code in the comparison table, and a page with no English twin. A second one,
served under a sub-path as GitHub Pages does, is built the way mkdocs builds without
site_url or with Material's defaults: a 404 page linking /assets/ and /, a sitemap of
one language, language alternates naming the home pages; and tables that are cut off.
A third holds a table whose code breaks inside a word.
Each test also runs the check on a sound page, so a check that always fails would show.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from browser.checks import (
    TABLE_CODE_LINES_JS,
    head_link_problems,
    load_problems,
    not_found_problems,
    sitemap_problems,
    switch_problems,
    table_code_break_problems,
    table_fit_problems,
    table_link_problems,
    twin_problems,
)
from browser.harness import SitePage, assert_clean, discover_pages, serve
from support.hooks import load_hook

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


# --- Hosted under a sub-path: 404 page, sitemap, canonical and hreflang links. ---

HOSTED_URL = "https://example.github.io/guide/"
STYLE = '<link rel="stylesheet" href="{href}">'
LOGO = '<a class="md-header__button md-logo" href="{href}">home</a>'
HEAD_LINKS = """<meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="canonical" href="{canonical}">
<link rel="alternate" hreflang="ja" href="{ja}"><link rel="alternate" hreflang="en" href="{en}">"""
SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{}</urlset>"""
WIDE_TABLE = "<table><tr>" + "<td>wide&nbsp;cell&nbsp;text</td>" * 30 + "</tr></table>"


def write_file(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def hosted_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("hosted-site")
    u = HOSTED_URL
    for folder in ("assets/stylesheets", "en/assets/stylesheets"):
        write_file(root / folder / "main.abc.min.css", "body { margin: 0 }")
    # Root 404 as mkdocs writes it without site_url: root-absolute links.
    write_file(
        root / "404.html",
        PAGE.format(
            lang="ja",
            title="404",
            head=STYLE.format(href="/assets/stylesheets/main.abc.min.css"),
            switch=LOGO.format(href="/"),
            body="",
        ),
    )
    # The English 404 as it should be: under the sub-path, home in English.
    write_file(
        root / "en/404.html",
        PAGE.format(
            lang="en",
            title="404",
            head=STYLE.format(href="/guide/en/assets/stylesheets/main.abc.min.css"),
            switch=LOGO.format(href="/guide/en/"),
            body="",
        ),
    )
    # Two pages and their twins; the Japanese deep page names the language homes as
    # its alternates (Material's default), the English one its twin.
    write_page(root, "ja", "", head=HEAD_LINKS.format(canonical=u, ja=u, en=u + "en/"))
    write_page(
        root,
        "en",
        "",
        head=HEAD_LINKS.format(canonical=u + "en/", ja=u, en=u + "en/"),
    )
    write_page(
        root,
        "ja",
        "deep/",
        head=HEAD_LINKS.format(canonical=u + "deep/", ja=u, en=u + "en/"),
        body=f'<article data-md-component="content"><h2 id="cut">Cut</h2><div style="overflow: hidden">{WIDE_TABLE}</div></article>',
    )
    write_page(
        root,
        "en",
        "deep/",
        head=HEAD_LINKS.format(
            canonical=u + "en/deep/", ja=u + "deep/", en=u + "en/deep/"
        ),
        body=f'<article data-md-component="content"><div style="overflow-x: auto">{WIDE_TABLE}</div></article>',
    )
    # A wide table with no wrapper: on a phone the page itself scrolls sideways.
    for lang in ("ja", "en"):
        write_page(
            root,
            lang,
            "bare/",
            head='<meta name="viewport" content="width=device-width,initial-scale=1">',
            body=f'<article data-md-component="content">{WIDE_TABLE}</article>',
        )
    # The root sitemap lists one language only, as each mkdocs build writes its own.
    locs = "".join(f"<url><loc>{u}{rel}</loc></url>" for rel in ("", "deep/", "bare/"))
    write_file(root / "sitemap.xml", SITEMAP.format(locs))
    locs = "".join(
        f"<url><loc>{u}en/{rel}</loc></url>" for rel in ("", "deep/", "bare/")
    )
    write_file(root / "en/sitemap.xml", SITEMAP.format(locs))
    with serve(root, "/guide/") as base:
        yield base, discover_pages(root, docs=None)


def test_an_unstyled_404_page_that_leads_nowhere_fails(tab, hosted_site):
    base, _ = hosted_site
    sound = not_found_problems(
        tab.page, tab.traffic, base + "en/404.html", base + "en/", "en"
    )
    assert sound == []
    message = failure(
        not_found_problems(tab.page, tab.traffic, base + "no/such/page/", base, "ja")
    )
    assert "404 page at /guide/no/such/page/: failed request: " in message
    assert "/assets/stylesheets/main.abc.min.css (HTTP 404)" in message
    assert "Material's stylesheet did not load (the page is unstyled)" in message
    assert (
        f"the header links home to {base.removesuffix('guide/')}, expected {base}"
        in message
    )


def test_a_sitemap_of_one_language_fails(hosted_site):
    base, pages = hosted_site
    message = failure(sitemap_problems(base, HOSTED_URL, pages))
    assert message.count("\n") == 1, message  # en/sitemap.xml is sound
    assert (
        "/guide/sitemap.xml does not list ['https://example.github.io/guide/en/', "
        "'https://example.github.io/guide/en/bare/', "
        "'https://example.github.io/guide/en/deep/']" in message
    )


def test_alternates_that_name_the_home_pages_fail(tab, hosted_site):
    base, _ = hosted_site
    sound = head_link_problems(
        tab.page, base, HOSTED_URL, SitePage("en", "en/deep/", None)
    )
    assert sound == []
    message = failure(
        head_link_problems(tab.page, base, HOSTED_URL, SitePage("ja", "deep/", None))
    )
    assert (
        "/deep/: hreflang alternates [('en', 'https://example.github.io/guide/en/'), "
        in message
    )
    assert (
        "expected [('en', 'https://example.github.io/guide/en/deep/'), ('ja', 'https://example.github.io/guide/deep/')]"
        in message
    )
    assert "canonical" not in message


def test_a_clipped_table_and_a_page_that_scrolls_sideways_fail(open_tab, hosted_site):
    base, _ = hosted_site
    desktop = open_tab().page
    assert table_fit_problems(desktop, base, SitePage("en", "en/deep/", None)) == []
    message = failure(table_fit_problems(desktop, base, SitePage("ja", "deep/", None)))
    assert "/deep/ at 1280 px: table 1 (after #cut) spans " in message
    assert "that clips it (overflow-x: hidden, no scrollbar)" in message
    phone = open_tab(viewport={"width": 375, "height": 812}, is_mobile=True).page
    assert table_fit_problems(phone, base, SitePage("en", "en/deep/", None)) == []
    message = failure(table_fit_problems(phone, base, SitePage("ja", "bare/", None)))
    assert "/bare/ at 375 px: the page scrolls sideways (" in message
    assert "/bare/ at 375 px: table 1: it spans " in message
    assert "px): cut off, no scrollbar" in message


# --- Code in a table that breaks inside a word (issue 20). ---

# Material's style for inline code (word-break: break-word) in a column too narrow for
# it: `from_pretrained` wraps as `from_pret` / `rained`. The sound page keeps the name
# whole (word-break: normal, overrides/main.html) and lets a long one wrap where
# hooks/table_code.py puts its <wbr>: after a dot, an underscore or a parenthesis.
NARROW_CODE = """<article data-md-component="content"><h2 id="glance">At a glance</h2>
<table style="table-layout: fixed; width: 16em"><tr><td style="width: 4em">
<code style="word-break: {word_break}">from_pretrained</code></td><td>
<code style="word-break: {word_break}">{long}</code></td></tr></table></article>"""


@pytest.fixture(scope="module")
def code_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("code-site")
    hook = load_hook("table_code")
    long = hook.break_points(
        "<table><code>torch.ao.quantization.fuse_modules(model)</code></table>"
    )
    long = long.removeprefix("<table><code>").removesuffix("</code></table>")
    write_page(
        root, "ja", "", body=NARROW_CODE.format(word_break="break-word", long=long)
    )
    write_page(root, "en", "", body=NARROW_CODE.format(word_break="normal", long=long))
    with serve(root) as base:
        yield base


def test_table_code_broken_inside_a_word_fails(open_tab, code_site):
    for device in ({}, {"viewport": {"width": 375, "height": 812}, "is_mobile": True}):
        page = open_tab(**device).page
        width = page.viewport_size["width"]
        sound = table_code_break_problems(page, code_site, SitePage("en", "en/", None))
        assert sound == []
        # There, the short name stays whole and the long one wraps between its parts.
        whole, parts = page.evaluate(TABLE_CODE_LINES_JS)
        assert whole == ["from_pretrained"] and len(parts) > 1, (whole, parts)
        message = failure(
            table_code_break_problems(page, code_site, SitePage("ja", "", None))
        )
        assert message.count("\n") == 1, message  # the long name breaks between parts
        assert (
            f"/ at {width} px: table code `from_pretrained` breaks inside a word: `from"
            in message
        )
        broken = message.rsplit("`", 2)[-2]
        assert "|" in broken and broken.replace("|", "") == "from_pretrained", message
