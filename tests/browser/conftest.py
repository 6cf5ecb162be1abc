"""Fixtures for the browser tests: one Chromium per session, the built site served on
loopback, and fresh browser contexts whose every request is routed and recorded."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from browser.checks import open_search
from browser.harness import (
    CHROMIUM,
    SITE_DIR,
    SITE_PATH,
    SITE_URL,
    SitePage,
    Traffic,
    browser_missing_reason,
    browser_required,
    discover_pages,
    launch,
    serve,
    watch,
)


def _no_browser(reason: str) -> None:
    message = (
        f"{reason}, so the browser tests cannot run. `make test-browser` installs "
        "Debian's chromium with apt-get (no browser download)."
    )
    if browser_required():
        pytest.fail(
            f"{message} CI or REQUIRE_BROWSER=1 is set: a missing browser is a failure.",
            pytrace=False,
        )
    pytest.skip(f"{message} Skipped (set REQUIRE_BROWSER=1 to make this a failure).")


@pytest.fixture(scope="session")
def chromium():
    reason = browser_missing_reason()
    if reason:
        _no_browser(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        try:
            browser = launch(playwright)
        except Exception as error:  # noqa: BLE001 - reported as the reason
            _no_browser(
                f"Chromium at {CHROMIUM} does not start ({str(error).splitlines()[0]})"
            )
        yield browser
        browser.close()


@dataclass
class Site:
    base: str  # http://127.0.0.1:PORT/torch-grad-switches-guide/ (SITE_PATH)
    directory: Path
    pages: list[SitePage]
    url: str  # SITE_URL: the address it was built for


def _require_built(directory: Path) -> None:
    missing = [
        p for p in ("index.html", "en/index.html") if not (directory / p).is_file()
    ]
    if missing:
        pytest.fail(
            f"{directory} has no {', '.join(missing)}: build the site first "
            "(make build; make test-browser builds it)",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def site() -> Iterator[Site]:
    """The built site (site/, or BROWSER_SITE_DIR), served on 127.0.0.1 under the
    sub-path of SITE_URL, as GitHub Pages serves it."""
    _require_built(SITE_DIR)
    with serve(SITE_DIR, SITE_PATH) as base:
        yield Site(base, SITE_DIR, discover_pages(SITE_DIR), SITE_URL)


@dataclass
class Tab:
    context: object  # playwright BrowserContext
    page: object  # playwright Page
    traffic: Traffic


@pytest.fixture
def open_tab(chromium) -> Iterator[Callable[..., Tab]]:
    """Open a page in a fresh context (new_context options as keywords). Every
    request is routed: a request that leaves loopback is aborted, recorded, and fails
    the test at teardown unless the test cleared it (tests of broken sites do)."""
    tabs: list[Tab] = []

    def open_(**options) -> Tab:
        options.setdefault("viewport", {"width": 1280, "height": 900})
        options.setdefault("permissions", ["clipboard-read", "clipboard-write"])
        context = chromium.new_context(**options)
        traffic = watch(context)
        tab = Tab(context, context.new_page(), traffic)
        tabs.append(tab)
        return tab

    yield open_
    outside = [url for tab in tabs for url in tab.traffic.outside]
    for tab in tabs:
        tab.context.close()
    assert not outside, (
        "requests left loopback (the site must work offline):\n" + "\n".join(outside)
    )


@pytest.fixture
def tab(open_tab) -> Tab:
    return open_tab()


@pytest.fixture(scope="module")
def search_box(chromium, site) -> Iterator[Callable[[str], Tab]]:
    """The search box of a language's home page, opened once per module and language
    (building the index takes a while), each query typed into the same box."""
    tabs: dict[str, Tab] = {}
    problems: dict[str, list[str]] = {}

    def open_(lang: str) -> Tab:
        if lang not in tabs:
            context = chromium.new_context(viewport={"width": 1280, "height": 900})
            traffic = watch(context)
            tabs[lang] = Tab(context, context.new_page(), traffic)
            problems[lang] = open_search(tabs[lang].page, site.base, lang)
        assert not problems[lang], "\n".join(problems[lang])
        return tabs[lang]

    yield open_
    outside = [url for tab in tabs.values() for url in tab.traffic.outside]
    for tab in tabs.values():
        tab.context.close()
    assert not outside, (
        "requests left loopback (the site must work offline):\n" + "\n".join(outside)
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``site_page``: every page of the built site, discovered when tests are collected."""
    if "site_page" in metafunc.fixturenames:
        pages = discover_pages(SITE_DIR) if SITE_DIR.is_dir() else []
        select = getattr(metafunc.function, "select_pages", None)
        if select:
            pages = select(pages)
        params = [pytest.param(page, id=f"/{page.path}") for page in pages]
        metafunc.parametrize("site_page", params)
