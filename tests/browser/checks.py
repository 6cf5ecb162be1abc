"""The browser checks. Each returns a list of problems, every one naming its page.

They take a Playwright page (or context) and the base URL of a served site, so the
same functions run against the real site (test_site.py) and against small broken
sites (test_checks_catch_breakage.py).
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from browser.harness import LANGUAGE_ROOTS, ROOT, SitePage, Traffic

if TYPE_CHECKING:
    from playwright.sync_api import Page

SECTION_MARK = re.compile(r"^\s*# --8<-- \[(start|end):[\w-]+\]\s*$")


def load_problems(
    page: Page, traffic: Traffic, base: str, site_page: SitePage
) -> list[str]:
    """The page loads (HTTP 200, a heading shows) with no console error, no failed
    request and no request that leaves loopback, until the network is idle."""
    traffic.clear()
    response = page.goto(base + site_page.path, wait_until="load")
    page.wait_for_load_state("networkidle")
    problems = list(traffic.problems())
    if response is None or response.status != 200:
        status = response.status if response else "no response"
        problems.insert(0, f"HTTP {status}")
    elif not page.locator("h1").first.is_visible():
        problems.insert(0, "no visible <h1>: the page did not render")
    return [f"{site_page}: {problem}" for problem in problems]


def twin_problems(pages: list[SitePage]) -> list[str]:
    """Every page has a twin in the other language, at the same relative path."""
    present = set(pages)
    return [
        f"{page}: no {page.twin().lang} twin (expected /{page.twin().path}); "
        f"write docs/{page.twin().lang}/ with the same file name"
        for page in pages
        if page.twin() not in present
    ]


def switch_problems(page: Page, base: str, site_page: SitePage) -> list[str]:
    """Clicking the other language in the header's language menu opens the twin of
    this page (a 404 page has none: the switch goes to the other language's home).

    Material's own script intercepts clicks on links into another language and goes
    to that language's home unless its sitemap lists the page; which language's
    sitemap arrives first decides. This check holds back the current language's
    sitemap until after the click, the order a slow network can give."""
    twin = site_page.twin()
    expected = LANGUAGE_ROOTS[twin.lang] if site_page.is_404 else twin.path
    own_sitemap = base + LANGUAGE_ROOTS[site_page.lang] + "sitemap.xml"
    other_sitemap = base + LANGUAGE_ROOTS[twin.lang] + "sitemap.xml"
    held, fetched = [], []
    page.route(own_sitemap, lambda route: held.append(route))
    page.on("requestfinished", lambda request: fetched.append(request.url))
    try:
        page.goto(base + site_page.path, wait_until="load")
        if page.locator("script[src*='assets/javascripts/bundle']").count():
            for _ in range(100):  # Material fetches the other language's sitemap
                if other_sitemap in fetched:
                    break
                page.wait_for_timeout(50)
            page.wait_for_timeout(200)  # and reads it
        page.hover(".md-select")  # opens the menu, as a pointer does
        with page.expect_navigation(timeout=10_000) as navigation:
            page.locator(f".md-select__link[hreflang={twin.lang}]").click()
        response = navigation.value
        if response is not None and response.status >= 400:
            return [
                f"{site_page}: the language switch to {twin.lang} opens "
                f"{urlsplit(page.url).path}, which answers HTTP {response.status}"
            ]
        page.wait_for_function(
            f"document.documentElement.lang === '{twin.lang}'", timeout=5000
        )
    except Exception as error:  # noqa: BLE001 - reported as the problem
        first_line = str(error).splitlines()[0]
        return [
            f"{site_page}: the language switch to {twin.lang} fails: {first_line} "
            f"(now at {page.url})"
        ]
    finally:
        page.unroute(own_sitemap)
        for route in held:
            with contextlib.suppress(Exception):  # its page may be gone
                route.fallback()
    arrived = urlsplit(page.url).path
    if arrived != "/" + expected:
        return [
            f"{site_page}: the language switch to {twin.lang} opens {arrived}, "
            f"expected /{expected}"
        ]
    return []


def search_problems(
    page: Page, base: str, lang: str, query: str, expected: str
) -> list[str]:
    """Typing the query in the header's search field lists the expected page.

    An input method commits Japanese text without a key event per character, then
    releases a key: insert_text and End do the same (Material reads on keyup)."""
    home = base + LANGUAGE_ROOTS[lang]
    where = f"search for '{query}' on /{LANGUAGE_ROOTS[lang]}"
    page.goto(home, wait_until="networkidle")
    page.locator("input.md-search__input").click()
    page.keyboard.insert_text(query)
    page.keyboard.press("End")
    results = page.locator(".md-search-result__item")
    try:
        results.first.wait_for(state="visible", timeout=10_000)
    except Exception:  # noqa: BLE001 - no result is the problem
        meta = page.locator(".md-search-result__meta").inner_text()
        return [
            f"{where}: no result ({meta!r}); expected /{LANGUAGE_ROOTS[lang]}{expected}"
        ]
    links = page.eval_on_selector_all(
        ".md-search-result__item > a.md-search-result__link",
        "as => as.map(a => a.href)",
    )
    listed = sorted({urlsplit(link).path for link in links})
    wanted = "/" + LANGUAGE_ROOTS[lang] + expected
    if wanted not in listed:
        return [f"{where}: lists {listed}, not {wanted}"]
    return []


def included_text(path: Path, section: str | None) -> str:
    """What pymdownx.snippets renders for an include: the file or one section of
    it, without the section marker lines."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if section:
        start = lines.index(f"# --8<-- [start:{section}]")
        end = lines.index(f"# --8<-- [end:{section}]")
        lines = lines[start + 1 : end]
    return "\n".join(line for line in lines if not SECTION_MARK.match(line))


def copy_problems(
    page: Page, base: str, site_page: SitePage, root: Path = ROOT
) -> list[str]:
    """Each titled code block's copy button puts exactly the included example on the
    clipboard (the context needs clipboard-read and clipboard-write permissions)."""
    from support.pages import parse_page

    source = site_page.source()
    if source is None or source.suffix != ".md":
        return []
    includes = parse_page(source).includes()
    page.goto(base + site_page.path, wait_until="networkidle")
    blocks = page.locator(".highlight:has(> .filename)")
    titles = blocks.evaluate_all(
        "bs => bs.map(b => b.querySelector(':scope > .filename').innerText.trim())"
    )
    if titles != [include.title for include in includes]:
        return [
            f"{site_page}: the titled code blocks are {titles}, the page's includes "
            f"{[include.title for include in includes]}"
        ]
    problems = []
    for index, include in enumerate(includes):
        block = blocks.nth(index)
        name = include.target + (f":{include.section}" if include.section else "")
        expected = included_text(root / include.target, include.section).rstrip("\n")
        button = block.locator("button[data-clipboard-target]")
        if button.count() != 1:
            problems.append(f"{site_page}: the block of {name} has no copy button")
            continue
        page.evaluate("navigator.clipboard.writeText('')")
        block.hover()
        button.click()
        page.wait_for_function(
            "navigator.clipboard.readText().then(t => t !== '')", timeout=5000
        )
        copied = page.evaluate("navigator.clipboard.readText()").rstrip("\n")
        target = button.get_attribute("data-clipboard-target")
        shown = page.evaluate(
            "s => document.querySelector(s).innerText", target
        ).rstrip("\n")
        for what, text in (("copy button", copied), ("data-clipboard-target", shown)):
            if text != expected:
                problems.append(
                    f"{site_page}: the {what} of block {index + 1} ({name}) "
                    f"gives text that differs from the file: {_first_difference(text, expected)}"
                )
    return problems


def _first_difference(got: str, expected: str) -> str:
    got_lines, expected_lines = got.splitlines(), expected.splitlines()
    for number, (a, b) in enumerate(
        zip(got_lines, expected_lines, strict=False), start=1
    ):
        if a != b:
            return f"line {number}: {a!r} instead of {b!r}"
    return f"{len(got_lines)} lines instead of {len(expected_lines)}"


# The links of the table right after the heading, and the code block titles in the
# section that each link target starts (up to the next heading of its level). A target
# inside a notebook page (executed at build time) is proof by itself: "notebook:".
_TABLE_LINKS_JS = """(id) => {
  const heading = document.getElementById(id);
  if (!heading) return null;
  const level = /^H[1-6]$/.test(heading.tagName) ? +heading.tagName[1] : 6;
  for (let el = heading.nextElementSibling; el; el = el.nextElementSibling) {
    if (/^H[1-6]$/.test(el.tagName) && +el.tagName[1] <= level) break;
    const table = el.matches('table') ? el : el.querySelector('table');
    if (table) return [...table.querySelectorAll('a[href]')].map(
      a => ({text: a.innerText.trim(), href: a.href}));
  }
  return [];
}"""
_SECTION_TITLES_JS = """(id) => {
  const target = document.getElementById(id);
  if (!target) return null;
  if (target.closest('.jupyter-wrapper')) return ['notebook:' + location.pathname];
  const level = /^H[1-6]$/.test(target.tagName) ? +target.tagName[1] : 6;
  const titles = [];
  for (let el = target.nextElementSibling; el; el = el.nextElementSibling) {
    if (/^H[1-6]$/.test(el.tagName) && +el.tagName[1] <= level) break;
    const blocks = el.matches('.highlight') ? [el] : [...el.querySelectorAll('.highlight')];
    for (const block of blocks) {
      const title = block.querySelector(':scope > .filename');
      if (title) titles.push(title.innerText.trim());
    }
  }
  return titles;
}"""


def table_link_problems(
    page: Page,
    base: str,
    site_page: SitePage,
    heading: str = "comparison",
    root: Path = ROOT,
) -> list[str]:
    """Every link in the table under #heading reaches an anchor whose section holds
    a code block titled with an existing examples/... file (or a section of an
    executed notebook page), and clicking it scrolls that anchor into view."""
    url = base + site_page.path
    page.goto(url, wait_until="networkidle")
    links = page.evaluate(_TABLE_LINKS_JS, heading)
    if links is None:
        return [f"{site_page}: no #{heading} heading"]
    if not links:
        return [f"{site_page}: no table with links under #{heading}"]
    problems = []
    by_page: dict[str, list[dict]] = {}
    for link in links:
        target_page, _, fragment = link["href"].partition("#")
        link["fragment"] = fragment
        by_page.setdefault(target_page, []).append(link)
    for target_page, page_links in by_page.items():
        if target_page != page.url.partition("#")[0]:
            page.goto(target_page, wait_until="load")
        for link in page_links:
            where = (
                f"{site_page}: #{heading} link '{link['text']}' → "
                f"{urlsplit(link['href']).path}#{link['fragment']}"
            )
            if not link["fragment"]:
                problems.append(
                    f"{where}: links to a page, not to the example's anchor"
                )
                continue
            titles = page.evaluate(_SECTION_TITLES_JS, link["fragment"])
            if titles is None:
                problems.append(f"{where}: that page has no element with this id")
                continue
            if any(t.startswith("notebook:") for t in titles):
                continue
            examples = [t for t in titles if t.startswith("examples/")]
            if not examples:
                problems.append(
                    f"{where}: the section holds no code block titled examples/…"
                )
            problems += [
                f"{where}: {t} does not exist"
                for t in examples
                if not (root / t).is_file()
            ]
    # A click on a same-page link scrolls its target into view.
    page.goto(url, wait_until="networkidle")
    for link in by_page.get(url.partition("#")[0], [])[:1]:
        page.locator(f"table a[href='#{link['fragment']}']").first.click()
        visible = page.evaluate(
            "id => { const r = document.getElementById(id)?.getBoundingClientRect();"
            " return !!r && r.top >= 0 && r.top < innerHeight; }",
            link["fragment"],
        )
        if not visible and link["fragment"]:
            problems.append(
                f"{site_page}: clicking '{link['text']}' does not bring "
                f"#{link['fragment']} into view"
            )
    return problems


# Measured on a 375 px wide viewport: see mobile_table_problems.
_MOBILE_TABLE_JS = """(id) => {
  const heading = document.getElementById(id);
  let table = null;
  for (let el = heading && heading.nextElementSibling; el && !table; el = el.nextElementSibling)
    table = el.matches('table') ? el : el.querySelector('table');
  if (!table) return null;
  let scroller = table.parentElement;
  while (scroller && !['auto', 'scroll'].includes(getComputedStyle(scroller).overflowX))
    scroller = scroller.parentElement;
  const doc = document.documentElement;
  const out = {innerWidth, docScroll: doc.scrollWidth, docClient: doc.clientWidth,
               bodyScroll: document.body.scrollWidth, scroller: null};
  const cells = [...table.querySelectorAll('th, td')];
  out.fontSize = Math.min(...cells.map(c => parseFloat(getComputedStyle(c).fontSize)));
  out.narrowest = Math.min(...cells.map(c => c.getBoundingClientRect().width /
                                         parseFloat(getComputedStyle(c).fontSize)));
  out.clipped = cells.filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.innerText.slice(0, 30));
  if (!scroller || scroller === doc || scroller === document.body) return out;
  const box = scroller.getBoundingClientRect();
  const fits = () => {
    const s = scroller.getBoundingClientRect(), t = table.getBoundingClientRect();
    return {left: t.left - s.left, right: s.right - t.right};
  };
  scroller.scrollLeft = 0;
  const start = fits();
  scroller.scrollLeft = scroller.scrollWidth;
  const end = fits();
  scroller.scrollLeft = 0;
  out.scroller = {left: box.left, right: box.right, scrollWidth: scroller.scrollWidth,
                  clientWidth: scroller.clientWidth, start: start.left, end: end.right};
  return out;
}"""


def mobile_table_problems(
    page: Page, base: str, site_page: SitePage, heading: str = "comparison"
) -> list[str]:
    """On a narrow viewport the table is readable. Precisely:

    - the page itself does not scroll sideways (document scrollWidth = viewport),
      and the page lays out at the device width (a viewport meta tag);
    - the table sits in a horizontally scrollable wrapper that lies inside the
      viewport, and scrolling it reaches both edges of the table;
    - no cell clips its text, cells are at least 12 px type and 5 em wide (so no
      column shrinks to a letter per line)."""
    page.goto(base + site_page.path, wait_until="networkidle")
    width = page.viewport_size["width"]
    m = page.evaluate(_MOBILE_TABLE_JS, heading)
    where = f"{site_page} at {width} px"
    if m is None:
        return [f"{where}: no table under #{heading}"]
    problems = []
    if m["innerWidth"] != width:
        problems.append(
            f"{where}: lays out {m['innerWidth']} px wide (no device-width viewport)"
        )
    if max(m["docScroll"], m["bodyScroll"]) > m["docClient"]:
        problems.append(
            f"{where}: the page scrolls sideways "
            f"({max(m['docScroll'], m['bodyScroll'])} px > {m['docClient']} px)"
        )
    s = m["scroller"]
    if s is None:
        problems.append(f"{where}: the table has no horizontally scrollable wrapper")
    else:
        if s["left"] < 0 or s["right"] > width + 0.5:
            problems.append(
                f"{where}: the table's wrapper spans {s['left']:.0f}–{s['right']:.0f} px, "
                "outside the viewport"
            )
        if s["start"] < -0.5 or s["end"] < -0.5:
            problems.append(
                f"{where}: scrolling the wrapper does not reach both edges of the table "
                f"(cut {-s['start']:.0f} px left, {-s['end']:.0f} px right)"
            )
    if m["fontSize"] < 12:
        problems.append(f"{where}: table text is {m['fontSize']} px (< 12 px)")
    if m["narrowest"] < 5:
        problems.append(f"{where}: a column is {m['narrowest']:.1f} em wide (< 5 em)")
    if m["clipped"]:
        problems.append(f"{where}: cells clip their text: {m['clipped']}")
    return problems


SERIOUS = ("serious", "critical")


def axe_violations(page: Page, base: str, site_page: SitePage) -> dict[str, str]:
    """Serious and critical axe-core violations: {rule id: one line naming the page,
    the rule and the first elements}. axe.min.js comes from the axe-playwright-python
    package and is injected into the page; it fetches nothing."""
    from axe_playwright_python.sync_playwright import Axe

    page.goto(base + site_page.path, wait_until="networkidle")
    found = {}
    for v in Axe().run(page).response["violations"]:
        if v["impact"] in SERIOUS:
            targets = ", ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:3])
            found[v["id"]] = (
                f"{site_page}: {v['id']} ({v['impact']}, {len(v['nodes'])} "
                f"elements: {targets}): {v['help']}"
            )
    return found
