"""The browser checks. Each returns a list of problems, every one naming its page.

They take a Playwright page (or context) and the base URL of a served site, so the
same functions run against the real site (test_site.py) and against small broken
sites (test_checks_catch_breakage.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from browser.harness import (
    LANGUAGE_ROOTS,
    ROOT,
    SitePage,
    Traffic,
    settle,
    wait_for_request,
)
from support.hooks import load_hook

if TYPE_CHECKING:
    from playwright.sync_api import Page

SECTION_MARK = re.compile(r"^\s*# --8<-- \[(start|end):[\w-]+\]\s*$")


# Conditions a page of the built site reaches once Material's script has done its work;
# each check waits for the ones it depends on (never for time). ``initializer`` is the
# search dialog's text before the search index is ready (read from the HTML as served).
_SEARCH_READY_JS = """(initializer) => {
  const meta = document.querySelector('.md-search-result__meta');
  return !meta || meta.textContent.trim() !== initializer;
}"""
# Material wraps every table:not([class]) of the content in its scroll wrapper.
_TABLES_WRAPPED_JS = """() => [...document.querySelectorAll(
  '[data-md-component=content] table:not([class])')].every(
  t => t.parentElement.matches('.md-typeset__table') &&
       t.parentElement.parentElement.matches('.md-typeset__scrollwrap'))"""
_SEARCH_META = re.compile(
    r'class="md-search-result__meta"[^>]*>\s*(.*?)\s*<', re.DOTALL
)


def has_material(page: Page) -> bool:
    return bool(page.locator("script[src*='assets/javascripts/bundle']").count())


def wait_until(page: Page, js: str, arg=None, timeout: float = 10_000) -> bool:
    """Wait until the JS condition holds; False when it still does not at ``timeout``."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(js, arg=arg, timeout=timeout)
    except PlaywrightTimeout:
        return False
    return True


def open_page(
    page: Page, url: str, traffic: Traffic | None = None, search: bool = False
):
    """Go to ``url`` and wait until the page is ready: loaded and its tables wrapped
    by Material. With ``search``, also until its search index is built (slow: only
    where needed). With ``traffic``, also until the search worker's request for the
    index has ended and every request the page started has finished. Returns
    (response, problems): a condition that never came true is a problem."""
    response = page.goto(url, wait_until="load")
    problems = []
    if has_material(page):
        served = _SEARCH_META.search(response.text()) if response and search else None
        if served and not wait_until(page, _SEARCH_READY_JS, served.group(1)):
            problems.append("the search index never became ready")
        if traffic is not None and not wait_for_request(
            page, traffic, "search/search_index.json"
        ):
            problems.append("the search index was never requested")
        if not wait_until(page, _TABLES_WRAPPED_JS):
            problems.append("Material did not wrap every table in its scroll wrapper")
    if traffic is not None:
        problems += settle(page, traffic)
    return response, problems


def load_problems(
    page: Page, traffic: Traffic, base: str, site_page: SitePage
) -> list[str]:
    """The page loads (HTTP 200, a heading shows) with no console error, no failed
    request and no request that leaves loopback, until it is ready (open_page) and
    every request it started has finished."""
    traffic.clear()
    response, waits = open_page(page, base + site_page.path, traffic)
    problems = waits + list(traffic.problems())
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

    Material's own script would take over clicks on links into another language
    (and send the reader to that language's home unless a sitemap lists the page);
    overrides/ keeps it out. The click comes once the page is ready (open_page), so
    whatever that script fetched has arrived."""
    twin = site_page.twin()
    expected = base + (LANGUAGE_ROOTS[twin.lang] if site_page.is_404 else twin.path)
    try:
        open_page(page, base + site_page.path)
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
    arrived = page.url.partition("#")[0]
    if arrived != expected:
        return [
            f"{site_page}: the language switch to {twin.lang} opens "
            f"{urlsplit(arrived).path}, expected {urlsplit(expected).path}"
        ]
    return []


# The search dialog's state: what its meta line says, the texts it says when it is empty
# or found nothing (from the page's configuration), and how many results it lists.
_SEARCH_STATE_JS = """() => {
  const t = JSON.parse(document.getElementById('__config').textContent).translations;
  return {
    meta: document.querySelector('.md-search-result__meta').textContent.trim(),
    placeholder: t['search.result.placeholder'],
    none: t['search.result.none'],
    items: document.querySelectorAll('.md-search-result__item').length,
  };
}"""
_SEARCH_CLEARED_JS = f"() => {{ const s = ({_SEARCH_STATE_JS})(); return s.items === 0 && s.meta === s.placeholder; }}"
_SEARCH_ANSWERED_JS = f"() => {{ const s = ({_SEARCH_STATE_JS})(); return s.items > 0 || s.meta === s.none; }}"
# The first ``top`` results: each result's links (the page, then its sections), as
# path + anchor (a link's ?h= parameter, for highlighting, left out).
_RESULT_LINKS_JS = """(top) => [...document.querySelectorAll(
  '.md-search-result__list > .md-search-result__item')].slice(0, top).map(
  item => [...item.querySelectorAll('a.md-search-result__link')].map(
    a => { const u = new URL(a.href); return u.pathname + u.hash; }))"""


def open_search(page: Page, base: str, lang: str) -> list[str]:
    """Open the language's home page and wait until its search index is built."""
    home = base + LANGUAGE_ROOTS[lang]
    _, problems = open_page(page, home, search=True)
    if not problems:
        page.locator("input.md-search__input").click()
    return [f"search on {urlsplit(home).path}: {problem}" for problem in problems]


def search(page: Page, query: str, top: int = 3) -> tuple[list[list[str]], str]:
    """Type ``query`` in the open search box (after emptying it) and wait for its
    answer: (the links of the first ``top`` results, the dialog's meta line).

    An input method commits Japanese text without a key event per character, then
    releases a key: insert_text and End do the same (Material reads on keyup). The box
    is emptied first, and that answer awaited, so that the next answer is this query's."""
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    if not wait_until(page, _SEARCH_CLEARED_JS):
        raise AssertionError(
            f"search for {query!r}: the emptied search box never cleared"
        )
    page.keyboard.insert_text(query)
    page.keyboard.press("End")
    if not wait_until(page, _SEARCH_ANSWERED_JS):
        raise AssertionError(f"search for {query!r}: no answer (no result, no 'none')")
    meta = page.locator(".md-search-result__meta").inner_text()
    return page.evaluate(_RESULT_LINKS_JS, top), meta


def matches(expected: str, link: str) -> bool:
    """``link`` (path#anchor, relative to the language root) is the ``expected`` page
    (any of its sections too) or section."""
    page, _, anchor = expected.partition("#")
    linked_page, _, linked_anchor = link.partition("#")
    return page == linked_page and (not anchor or anchor == linked_anchor)


def search_problems(
    page: Page, base: str, lang: str, query: str, expected: list[str], top: int = 3
) -> list[str]:
    """Typing the query in the header's search field lists one of the ``expected``
    addresses (relative to the language's root, see tests/browser/search_cases.py)
    among the links of the first ``top`` results; the search box must be open
    (open_search). A failure names the query and what it listed."""
    root = urlsplit(base + LANGUAGE_ROOTS[lang]).path
    results, meta = search(page, query, top)
    relative = [[link.removeprefix(root) for link in links] for links in results]
    if any(matches(e, link) for links in relative for link in links for e in expected):
        return []
    if not results:
        return [
            f"search for {query!r} on {root}: no result ({meta!r}); expected {expected}"
        ]
    listed = "; ".join(
        f"{n}. {', '.join(links[:4])}{' …' if len(links) > 4 else ''}"
        for n, links in enumerate(relative, start=1)
    )
    return [
        f"search for {query!r} on {root}: the first {top} results are {listed}; "
        f"expected one of {expected}"
    ]


# Each result title as the page shows it, next to the title in the index (parsed as
# HTML): a highlight that broke the markup shows its pieces ("rk>") as text.
_RESULT_TITLES_JS = r"""async (indexUrl) => {
  const index = await (await fetch(indexUrl)).json();
  const byLocation = new Map(index.docs.map(d => [d.location, d.title]));
  const text = html => {
    const t = document.createElement('template'); t.innerHTML = html;
    return t.content.textContent;
  };
  const base = new URL(indexUrl, location.href).pathname.replace(/search\/search_index\.json$/, '');
  return [...document.querySelectorAll('a.md-search-result__link')].map(a => {
    const u = new URL(a.href);
    const location = u.pathname.slice(base.length) + u.hash;
    const heading = a.querySelector('h1, h2');
    return {
      location,
      shown: heading ? heading.textContent : null,
      indexed: byLocation.has(location) ? text(byLocation.get(location)) : null,
      nested: heading ? heading.querySelectorAll('mark mark').length : 0,
    };
  });
}"""


def highlight_problems(page: Page, base: str, lang: str, query: str) -> list[str]:
    """Every result title of ``query`` shows the text of its title in the index, with
    only <mark> around the words found (the search box must be open: open_search)."""
    root = base + LANGUAGE_ROOTS[lang]
    results, meta = search(page, query, top=1000)
    if not results:
        return [f"search for {query!r}: no result ({meta!r}), nothing to check"]
    titles = page.evaluate(_RESULT_TITLES_JS, root + "search/search_index.json")
    problems = []
    for title in titles:
        where = f"search for {query!r}: the result {title['location'] or '(home)'}"
        if title["indexed"] is None:
            problems.append(f"{where} is not in search_index.json")
        elif title["shown"] != title["indexed"]:
            problems.append(
                f"{where} shows the title {title['shown']!r}, not {title['indexed']!r}"
            )
        if title["nested"]:
            problems.append(f"{where} has a highlight inside a highlight")
    return problems


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
    open_page(page, base + site_page.path)
    blocks = page.locator(".highlight:has(> .filename)")
    # Material adds the copy buttons from its script: wait for one in every titled
    # block (a block without one is reported below).
    wait_until(
        page,
        """() => [...document.querySelectorAll('.highlight:has(> .filename)')].every(
          b => b.querySelector('button[data-clipboard-target]'))""",
    )
    titles = blocks.evaluate_all(
        "bs => bs.map(b => b.querySelector(':scope > .filename').innerText.trim())"
    )
    if titles != [include.title for include in includes]:
        return [
            f"{site_page}: the titled code blocks are {titles}, the page's includes "
            f"{[include.title for include in includes]}"
        ]
    # After a click, wait until the clipboard holds text; return it with the text of
    # the button's target, and empty the clipboard for the next block.
    copied_js = """async (target) => {
      const text = await navigator.clipboard.readText();
      if (text === '') return false;
      await navigator.clipboard.writeText('');
      return [text, document.querySelector(target).innerText];
    }"""
    page.evaluate("navigator.clipboard.writeText('')")
    problems = []
    for index, include in enumerate(includes):
        block = blocks.nth(index)
        name = include.target + (f":{include.section}" if include.section else "")
        expected = included_text(root / include.target, include.section).rstrip("\n")
        button = block.locator("button[data-clipboard-target]")
        if button.count() != 1:
            problems.append(f"{site_page}: the block of {name} has no copy button")
            continue
        target = button.get_attribute("data-clipboard-target")
        button.click()  # moves the pointer over the block first, as a reader does
        copied, shown = page.wait_for_function(
            copied_js, arg=target, timeout=10_000
        ).json_value()
        for what, text in (
            ("copy button", copied.rstrip("\n")),
            ("data-clipboard-target", shown.rstrip("\n")),
        ):
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
  const links = [];
  for (let el = heading.nextElementSibling; el; el = el.nextElementSibling) {
    if (/^H[1-6]$/.test(el.tagName) && +el.tagName[1] <= level) break;
    for (const table of el.matches('table') ? [el] : el.querySelectorAll('table'))
      links.push(...[...table.querySelectorAll('a[href]')].map(
        a => ({text: a.innerText.trim(), href: a.href})));
  }
  return links;
}"""
_SECTION_TITLES_JS = """(id) => {
  const target = document.getElementById(id);
  if (!target) return null;
  if (target.closest('.notebook')) return ['notebook:' + location.pathname];
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
    """Every link in the tables under #heading (up to the next heading of its level:
    one table, or one per library) reaches an anchor whose section holds a code block
    titled with an existing examples/... file (or a section of an executed notebook
    page), and clicking one scrolls that anchor into view."""
    url = base + site_page.path
    open_page(page, url)
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
            open_page(page, target_page)
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
    open_page(page, url)
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
    open_page(page, base + site_page.path)  # waits until Material wrapped the tables
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

    open_page(page, base + site_page.path)
    found = {}
    for v in Axe().run(page).response["violations"]:
        if v["impact"] in SERIOUS:
            targets = ", ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:3])
            found[v["id"]] = (
                f"{site_page}: {v['id']} ({v['impact']}, {len(v['nodes'])} "
                f"elements: {targets}): {v['help']}"
            )
    return found


# Every table of the content, followed up its ancestors to the content element: each
# one that clips or scrolls sideways either contains what must stay visible (it clips:
# overflow-x hidden or clip) or can scroll to all of it (auto or scroll, its scroll
# width covers it; then its own box is what must stay visible). See table_fit_problems.
_TABLES_JS = """() => {
  const content = document.querySelector('[data-md-component=content]') || document.body;
  const doc = document.documentElement, c = content.getBoundingClientRect();
  const out = {docScroll: Math.max(doc.scrollWidth, document.body.scrollWidth),
               docClient: doc.clientWidth, column: {left: c.left, right: c.right},
               tables: []};
  const headings = [...content.querySelectorAll('h1[id], h2[id], h3[id], h4[id]')];
  [...content.querySelectorAll('table')].forEach((table, index) => {
    const heading = headings.filter(
      h => h.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING).pop();
    const t = table.getBoundingClientRect();
    const entry = {index: index + 1, after: heading ? heading.id : null, cut: null,
                   unreachable: null, clipped: [...table.querySelectorAll('th, td')]
                     .filter(c => c.scrollWidth > c.clientWidth + 1 &&
                                  getComputedStyle(c).overflowX !== 'visible')
                     .map(c => c.innerText.slice(0, 30))};
    let visible = {left: t.left, right: t.right}, need = table.scrollWidth, scroller = null;
    for (let el = table; el && el !== content.parentElement; el = el.parentElement) {
      const overflow = getComputedStyle(el).overflowX;
      if (overflow === 'visible') continue;
      const b = el.getBoundingClientRect();
      const name = el.tagName.toLowerCase() + (el.className ? '.' + [...el.classList].join('.') : '');
      if (overflow === 'auto' || overflow === 'scroll') {
        if (el.scrollWidth + 0.5 < need && !entry.unreachable)
          entry.unreachable = {box: name, scrollWidth: el.scrollWidth, need};
        scroller = name;
      } else if (!entry.cut && (visible.left < b.left - 0.5 || visible.right > b.right + 0.5)) {
        entry.cut = {box: name, overflow, left: visible.left, right: visible.right,
                     boxLeft: b.left, boxRight: b.right};
      }
      visible = {left: b.left, right: b.right};
      need = b.width;
    }
    entry.visible = visible;
    entry.scroller = scroller;
    out.tables.push(entry);
  });
  return out;
}"""


def table_fit_problems(page: Page, base: str, site_page: SitePage) -> list[str]:
    """No table is cut off. Precisely, for every table of the page's content, going up
    from the table (itself included) to the content element:

    - an element that clips sideways (overflow-x hidden or clip) contains what must
      stay visible: at first the table, after a scroll box that scroll box;
    - an element that scrolls sideways (overflow-x auto or scroll) reaches all of it
      (its scrollWidth covers the table's scrollWidth, or the inner scroll box's width);
    - the last scroll box (or the table, when none) lies inside the content column and
      the viewport;
    - no cell clips its text; and the page itself does not scroll sideways (document
      scrollWidth <= clientWidth).

    So a table fits its column, or scrolls inside a wrapper that does."""
    open_page(page, base + site_page.path)  # waits until Material wrapped the tables
    width = page.viewport_size["width"]
    m = page.evaluate(_TABLES_JS)
    where = f"{site_page} at {width} px"
    problems = []
    if m["docScroll"] > m["docClient"]:
        problems.append(
            f"{where}: the page scrolls sideways ({m['docScroll']} px > {m['docClient']} px)"
        )
    left = max(m["column"]["left"], 0)
    right = min(m["column"]["right"], width)
    for t in m["tables"]:
        name = f"{where}: table {t['index']}" + (
            f" (after #{t['after']})" if t["after"] else ""
        )
        if t["cut"]:
            c = t["cut"]
            problems.append(
                f"{name} spans {c['left']:.0f}–{c['right']:.0f} px in <{c['box']}> "
                f"({c['boxLeft']:.0f}–{c['boxRight']:.0f} px) that clips it "
                f"(overflow-x: {c['overflow']}, no scrollbar)"
            )
        if t["unreachable"]:
            u = t["unreachable"]
            problems.append(
                f"{name}: scrolling <{u['box']}> ({u['scrollWidth']} px) does not "
                f"reach the table's edge ({u['need']:.0f} px)"
            )
        v = t["visible"]
        if v["left"] < left - 0.5 or v["right"] > right + 0.5:
            what = f"its scroll box <{t['scroller']}>" if t["scroller"] else "it"
            problems.append(
                f"{name}: {what} spans {v['left']:.0f}–{v['right']:.0f} px, "
                f"beyond the column ({left:.0f}–{right:.0f} px): cut off, no scrollbar"
            )
        if t["clipped"]:
            problems.append(f"{name}: cells clip their text: {t['clipped']}")
    return problems


def not_found_problems(
    page: Page, traffic: Traffic, url: str, home: str, lang: str
) -> list[str]:
    """The 404 page at ``url`` is styled and leads home in its language: it answers
    with its HTML, loads Material's stylesheet (every request succeeds, the sheet has
    rules), is in ``lang``, and its header's logo links to ``home``."""
    where = f"404 page at {urlsplit(url).path}"
    traffic.clear()
    response, problems = open_page(page, url, traffic)
    problems += traffic.problems()
    # The page's own 404 status is what a missing address answers, not a problem.
    problems = [
        p
        for p in problems
        if p != f"failed request: {url} (HTTP 404)"
        and not (p.startswith("console error: ") and p.endswith(f"(Not Found) [{url}]"))
    ]
    if response is None or response.status not in (200, 404):
        problems.append(f"HTTP {response.status if response else 'no response'}")
        return [f"{where}: {p}" for p in problems]
    styled = page.evaluate(
        """() => [...document.styleSheets].some(s => s.href &&
             /assets\\/stylesheets\\/main\\.[^/]*css$/.test(s.href) && s.cssRules.length)"""
    )
    if not styled:
        problems.append("Material's stylesheet did not load (the page is unstyled)")
    page_lang = page.evaluate("document.documentElement.lang")
    if page_lang != lang:
        problems.append(f"the page is in '{page_lang}', expected '{lang}'")
    logo = page.evaluate(
        "() => document.querySelector('a.md-header__button.md-logo')?.href ?? null"
    )
    if logo is None:
        problems.append("no link home in the header")
    elif logo.rstrip(".") != home:
        problems.append(f"the header links home to {logo}, expected {home}")
    traffic.clear()
    return [f"{where}: {p}" for p in problems]


def sitemap_urls(xml: str) -> list[str]:
    import xml.etree.ElementTree as ET

    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    return [loc.text.strip() for loc in ET.fromstring(xml).iter(f"{ns}loc")]


def sitemap_problems(base: str, site_url: str, pages: list[SitePage]) -> list[str]:
    """The sitemap.xml at the site's root lists every page of both languages (and
    nothing else) at its published address; en/sitemap.xml lists the English ones."""
    from urllib.error import HTTPError
    from urllib.request import urlopen

    published = [p for p in pages if not p.is_404]
    problems = []
    for root, wanted in (
        ("", published),
        (LANGUAGE_ROOTS["en"], [p for p in published if p.lang == "en"]),
    ):
        url = base + root + "sitemap.xml"
        try:
            with urlopen(url) as answer:
                listed = sitemap_urls(answer.read().decode("utf-8"))
        except HTTPError as error:
            problems.append(f"{urlsplit(url).path}: HTTP {error.code}")
            continue
        expected = {site_url + p.path for p in wanted}
        missing = sorted(expected - set(listed))
        extra = sorted(set(listed) - expected)
        doubled = sorted({u for u in listed if listed.count(u) > 1})
        where = f"{urlsplit(url).path}"
        if missing:
            problems.append(f"{where} does not list {missing}")
        if extra:
            problems.append(f"{where} lists what is not a page of the site: {extra}")
        if doubled:
            problems.append(f"{where} lists twice: {doubled}")
    return problems


def head_link_problems(
    page: Page, base: str, site_url: str, site_page: SitePage
) -> list[str]:
    """The page names its published address (<link rel="canonical">), and its twin in
    each language (<link rel="alternate" hreflang>): exactly one per language, this
    page for its own, the twin page for the other."""
    open_page(page, base + site_page.path)
    links = page.evaluate(
        """() => ({
          canonical: [...document.querySelectorAll('link[rel=canonical]')].map(l => l.href),
          alternates: [...document.querySelectorAll('link[rel=alternate][hreflang]')]
            .map(l => [l.hreflang, l.href]),
        })"""
    )
    problems = []
    canonical = site_url + site_page.path
    if links["canonical"] != [canonical]:
        problems.append(f"canonical {links['canonical']}, expected [{canonical!r}]")
    expected = sorted(
        [
            (site_page.lang, site_url + site_page.path),
            (site_page.twin().lang, site_url + site_page.twin().path),
        ]
    )
    got = sorted(tuple(a) for a in links["alternates"])
    if got != expected:
        problems.append(f"hreflang alternates {got}, expected {expected}")
    return [f"{site_page}: {p}" for p in problems]


def error_entry_anchors(site_dir: Path, lang: str) -> dict[str, str]:
    """The built error index's entries: message (its code span, whitespace runs as one
    space, none at its ends) -> the entry's anchor (hooks/search_index.py gives each
    message's list item one)."""
    from bs4 import BeautifulSoup

    page = site_dir / LANGUAGE_ROOTS[lang] / "errors" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return {
        " ".join(item.find("code").get_text().split()): item["id"]
        for item in soup.select("li[id^='msg-']")
        if item.find("code") is not None
    }


_META = re.compile(
    r'<meta (?:name|property)="(?P<key>[^"]+)" content="(?P<content>[^"]*)"'
)
SHARED_TAGS = ("og:title", "og:site_name", "twitter:card", "twitter:title")


def head_meta(html: str) -> dict[str, str]:
    """A page's <meta> tags as served: name or property -> content (unescaped)."""
    import html as html_module

    return {m["key"]: html_module.unescape(m["content"]) for m in _META.finditer(html)}


def description_problems(site_page: SitePage, html: str, own: str | None) -> list[str]:
    """The page's head carries ``own`` (its source's description) as its description,
    Open Graph and Twitter card description, and a title for link previews."""
    tags = head_meta(html)
    if own is None:
        return [f"{site_page}: its source has no description"]
    problems = [
        f"{site_page}: {key} is {tags.get(key)!r}, not the page's own description"
        for key in ("description", "og:description", "twitter:description")
        if tags.get(key) != own
    ]
    problems += [
        f"{site_page}: no {key} in its head" for key in SHARED_TAGS if not tags.get(key)
    ]
    return problems


# Every inline code element in a table of the content, as the lines it is laid out on:
# each character's box (Range.getClientRects) says which line it is on; a character
# whose top lies below the middle of the previous one's box starts a new line. A
# character with no box (collapsed white space) stays on the line before it. Waits for
# the fonts first: they decide where lines break. See table_code_break_problems.
TABLE_CODE_LINES_JS = """async () => {
  await document.fonts.ready;
  const content = document.querySelector('[data-md-component=content]') || document.body;
  const range = document.createRange();
  return [...content.querySelectorAll('table code')].map(code => {
    const lines = [''];
    let last = null;
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    for (let node; (node = walker.nextNode());) {
      for (let i = 0; i < node.data.length; i++) {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const box = [...range.getClientRects()].find(r => r.width > 0 || r.height > 0);
        if (box && last && box.top > last.top + last.height / 2) lines.push('');
        if (box) last = box;
        lines[lines.length - 1] += node.data[i];
      }
    }
    return lines;
  });
}"""
# Where the browser itself breaks code (UAX #14): after a hyphen or a slash.
BROWSER_BREAK_AFTER = "-/"


def break_inside_word(code: str, before: str, after: str) -> bool:
    """Whether a line break between the characters ``before`` and ``after`` of the code
    span ``code`` splits a word. Allowed everywhere: a break at white space, next to a
    full-width character (Japanese text breaks between any two) and after a hyphen or
    a slash (where the browser breaks code by itself). Nothing else in a span of at
    most hooks/table_code.py's SHORT (16) characters: a short name moves to the next
    line whole (`Trainer.|evaluate`, `eval(|)` fail). In a longer span, also a break
    after any other character that is not a letter or digit: after `.`, `_`, `(`
    (where that hook lets a long name wrap: `torch.ao.quantization.` / `fuse_modules`)
    or `=` (`inputs=` / `())`, where the browser does). A break after a letter or digit
    always fails: `from_pret|rained`, `Trainer.e|valuate`, `model|.eval()`."""
    import unicodedata

    def wide(char: str) -> bool:
        return unicodedata.east_asian_width(char) in "WF"

    if (
        before.isspace()
        or after.isspace()
        or wide(before)
        or wide(after)
        or before in BROWSER_BREAK_AFTER
    ):
        return False
    return len(code) <= load_hook("table_code").SHORT or before.isalnum()


def table_code_break_problems(page: Page, base: str, site_page: SitePage) -> list[str]:
    """No inline code in any table of the page breaks inside a word at the page's
    viewport width (break_inside_word says which breaks are allowed). A problem names
    the page, the width, the code span and where it broke: `from_pret|rained`."""
    open_page(page, base + site_page.path)  # waits until Material wrapped the tables
    width = page.viewport_size["width"]
    problems = []
    for lines in page.evaluate(TABLE_CODE_LINES_JS):
        breaks = [
            index
            for index in range(1, len(lines))
            if lines[index - 1]
            and lines[index]
            and break_inside_word("".join(lines), lines[index - 1][-1], lines[index][0])
        ]
        if breaks:
            shown = "|".join(lines)
            problems.append(
                f"{site_page} at {width} px: table code `{''.join(lines)}` breaks "
                f"inside a word: `{shown}`"
            )
    return problems
