"""Serve a built site on loopback and drive Debian's Chromium with Playwright.

Nothing here downloads a browser: the browser is /usr/bin/chromium from Debian
(``make install-browser``), or the path in the CHROMIUM environment variable.
Playwright is imported only when a browser is launched, so the plain test run
(``make test``) never needs it.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Request

ROOT = Path(__file__).resolve().parents[2]
SITE_DIR = Path(os.environ.get("BROWSER_SITE_DIR", ROOT / "site"))
# Where the site is published; `make test-browser` builds it for this address (SITE_URL,
# an example GitHub Pages project address unless set) and the tests serve it under the
# same sub-path, as Pages does.
EXAMPLE_SITE_URL = "https://example.github.io/torch-grad-switches-guide/"
SITE_URL = (os.environ.get("SITE_URL") or EXAMPLE_SITE_URL).rstrip("/") + "/"
SITE_PATH = urlsplit(SITE_URL).path  # "/torch-grad-switches-guide/"
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Playwright gives every launch a fresh, temporary user-data-dir of its own.
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",  # the tests run as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Offline: no host name resolves except loopback, even for a request the
    # router below would miss.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
LANGUAGE_ROOTS = {"ja": "", "en": "en/"}  # where each language lives in site/
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
NOT_PAGES = {"assets", "search"}  # folders of site/ that hold no pages


def browser_required() -> bool:
    """CI (CI=true) and REQUIRE_BROWSER=1 turn a missing browser into a failure."""
    ci = os.environ.get("CI", "").strip().lower()
    return (ci not in ("", "0", "false", "no")) or os.environ.get(
        "REQUIRE_BROWSER"
    ) == "1"


def browser_missing_reason() -> str | None:
    """Why no browser can run here, or None when Playwright and Chromium are present."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (make install puts it in .venv)"
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).is_file()):
        return f"no Chromium at {CHROMIUM}"
    return None


@dataclass(frozen=True, order=True)
class SitePage:
    """A built page: its language and its URL path from the site root ("en/x/")."""

    lang: str
    path: str
    docs: Path | None = field(default=ROOT / "docs", compare=False, repr=False)

    @property
    def rel(self) -> str:
        """The path under its language root: the same for both twins."""
        return self.path.removeprefix(LANGUAGE_ROOTS[self.lang])

    @property
    def is_404(self) -> bool:
        return self.rel == "404.html"

    def twin(self) -> SitePage:
        other = "en" if self.lang == "ja" else "ja"
        return SitePage(other, LANGUAGE_ROOTS[other] + self.rel, self.docs)

    def source(self) -> Path | None:
        """The Markdown (or notebook) page it was built from, when there is one."""
        if self.docs is None:
            return None
        stem = self.rel.removesuffix("/").removesuffix(".html") or "index"
        docs = self.docs / self.lang
        for candidate in (f"{stem}.md", f"{stem}/index.md", f"{stem}.py"):
            if (docs / candidate).is_file():
                return docs / candidate
        return None

    def __str__(self) -> str:
        source = self.source()
        built_from = f" ({source.relative_to(self.docs.parent)})" if source else ""
        return f"/{self.path}{built_from}"


def discover_pages(site_dir: Path, docs: Path | None = ROOT / "docs") -> list[SitePage]:
    """Every HTML page of a built site, Japanese at the root and English under en/;
    ``docs`` holds the pages' sources (docs/<lang>/...), None for a site without."""
    pages = []
    for html in sorted(site_dir.rglob("*.html")):
        parts = html.relative_to(site_dir).parts
        lang = "en" if parts[0] == "en" else "ja"
        inner = parts[1:] if lang == "en" else parts
        if inner[0] in NOT_PAGES:
            continue
        url = (
            "/".join(inner[:-1]) + "/" if inner[-1] == "index.html" else "/".join(inner)
        )
        pages.append(SitePage(lang, LANGUAGE_ROOTS[lang] + url.removeprefix("/"), docs))
    return pages


class _SiteHandler(SimpleHTTPRequestHandler):
    """Serves a built site under a sub-path as GitHub Pages serves a project site:
    ``{prefix}x`` is ``site/x``; a missing file, a folder without index.html or
    anything outside the prefix answers 404 with the site's root 404.html."""

    prefix = "/"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def translate_path(self, path: str) -> str:
        url_path = urlsplit(path).path
        if not url_path.startswith(self.prefix):
            return str(Path(self.directory) / ".outside-the-site")  # never exists
        return super().translate_path("/" + url_path.removeprefix(self.prefix))

    def list_directory(self, path):
        self.send_error(404)
        return None

    def send_error(self, code: int, message=None, explain=None) -> None:
        page = Path(self.directory) / "404.html"
        in_site = urlsplit(self.path).path.startswith(self.prefix)
        if code != 404 or not in_site or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a browser that leaves a page mid-download breaks the pipe


@contextmanager
def serve(directory: Path, prefix: str = "/") -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (a free port) under the URL path ``prefix``, in a
    thread; yields the base URL (``http://127.0.0.1:PORT{prefix}``)."""
    handler = functools.partial(
        type("Handler", (_SiteHandler,), {"prefix": prefix}), directory=str(directory)
    )
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def launch(playwright) -> Browser:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)


@dataclass
class Traffic:
    """What a browser context did that a page must not do."""

    outside: list[str] = field(default_factory=list)  # requests not to loopback
    failed: list[str] = field(default_factory=list)  # loopback requests that failed
    console: list[str] = field(default_factory=list)  # console errors, uncaught errors
    pending: set = field(default_factory=set)  # requests not finished yet
    done: list[str] = field(default_factory=list)  # URLs of requests that ended

    def clear(self) -> None:
        self.outside.clear()
        self.failed.clear()
        self.console.clear()
        self.done.clear()

    def problems(self) -> list[str]:
        return (
            [f"request leaves loopback: {url}" for url in self.outside]
            + [f"failed request: {what}" for what in self.failed]
            + [f"console error: {text}" for text in self.console]
        )


def is_loopback(url: str) -> bool:
    return urlsplit(url).hostname in LOOPBACK_HOSTS


def watch(context: BrowserContext) -> Traffic:
    """Route every request of the context: loopback goes through, anything else is
    recorded and aborted (the site must work offline). Record failures and errors."""
    traffic = Traffic()

    def route(route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("http", "https", "ws", "wss") and not is_loopback(
            url
        ):
            traffic.outside.append(url)
            route.abort("blockedbyclient")
        else:
            route.fallback()

    def failed(request: Request) -> None:
        traffic.pending.discard(request)
        traffic.done.append(request.url)
        if is_loopback(request.url):
            traffic.failed.append(f"{request.url} ({request.failure})")

    def response(response) -> None:
        if response.status >= 400:
            traffic.failed.append(f"{response.url} (HTTP {response.status})")

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            traffic.console.append(f"{message.text} [{where}]")

    context.route("**/*", route)
    context.on("request", lambda request: traffic.pending.add(request))

    def finished(request: Request) -> None:
        traffic.pending.discard(request)
        traffic.done.append(request.url)

    context.on("requestfinished", finished)
    context.on("requestfailed", failed)
    context.on("response", response)
    context.on("console", console)
    context.on(
        "weberror", lambda error: traffic.console.append(f"uncaught {error.error}")
    )
    return traffic


def settle(page, traffic: Traffic, timeout: float = 10_000) -> list[str]:
    """Wait until every request the context started has finished (an event each, no
    timer); the requests still open after ``timeout`` ms, as problems."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    deadline = time.monotonic() + timeout / 1000
    while traffic.pending:
        left = (deadline - time.monotonic()) * 1000
        if left <= 0:
            return [f"request never finished: {r.url}" for r in traffic.pending]
        # A request that fails instead ends this wait only at the deadline: slow, but
        # only on a page that has a problem already (the failure is recorded).
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_event(
                "requestfinished",
                predicate=lambda r: not (traffic.pending - {r}),
                timeout=left,
            )
    return []


def wait_for_request(
    page, traffic: Traffic, suffix: str, timeout: float = 10_000
) -> bool:
    """Wait until a request whose URL ends with ``suffix`` has ended (an event, no
    timer); False if none has at ``timeout`` ms."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    deadline = time.monotonic() + timeout / 1000
    while not any(url.endswith(suffix) for url in traffic.done):
        left = (deadline - time.monotonic()) * 1000
        if left <= 0:
            return False
        # A failed request ends this wait only at the deadline (and is recorded).
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_event(
                "requestfinished",
                predicate=lambda r: r.url.endswith(suffix),
                timeout=left,
            )
    return True


def assert_clean(problems: list[str], what: str) -> None:
    """Fail with one line per problem; each problem names its page."""
    assert not problems, f"{what}:\n" + "\n".join(f"  {p}" for p in problems)
