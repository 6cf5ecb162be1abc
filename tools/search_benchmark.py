"""What the site search costs and finds, for one or more built sites (a benchmark, not
a test: it asserts nothing).

    .venv/bin/python tools/search_benchmark.py SITE_DIR [SITE_DIR ...] [--repeat N]

For each built site (both languages: SITE_DIR and SITE_DIR/en), in Debian's Chromium
(CHROMIUM, as the browser tests):

- the size of search/search_index.json, raw and gzipped (level 9; what a server that
  compresses sends);
- the time from opening the home page until the search index is built in the worker;
- the time from the key that ends a query (an input method commits Japanese text, then
  a key is released: Material reads on keyup) until its results are on the page, the
  median of ``--repeat`` runs per query;
- how many of the cases of tests/browser/search_cases.py list their answer in the first
  three results.

It prints one table and writes it to artifacts/search-benchmark.json. Timings depend on
the machine and on what else runs on it: compare sites measured in one run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests")]

from browser.checks import (  # noqa: E402
    error_entry_anchors,
    open_search,
    search_problems,
    wait_until,
)
from browser.harness import LANGUAGE_ROOTS, SITE_PATH, launch, serve  # noqa: E402
from browser.search_cases import all_cases  # noqa: E402

TIMED = {
    "ja": [
        "学習モード",
        "推論",
        "凍結した",
        "メモリ使用量",
        "no_grad 推論",
        "Can't call numpy() on Tensor that requires grad",
    ],
    "en": [
        "freeze",
        "inference_mode",
        "Can't call numpy() on Tensor that requires grad",
        "A view was created in no_grad mode and is being modified inplace with grad "
        "mode enabled.",
    ],
}

# The time since the page was opened, once the search index is built (the dialog then
# says its placeholder: "type to start searching"), checked at every frame.
_READY_JS = """() => {
  const config = document.getElementById('__config');
  const meta = document.querySelector('.md-search-result__meta');
  if (!config || !meta) return false;
  const t = JSON.parse(config.textContent).translations;
  return meta.textContent.trim() === t['search.result.placeholder'] && performance.now();
}"""
# In the page: the time of the key that ends a query, and of the first answer after it.
_WATCH_JS = """() => {
  const bench = window.__bench = { typed: null, answered: null };
  const t = JSON.parse(document.getElementById('__config').textContent).translations;
  const meta = document.querySelector('.md-search-result__meta');
  const answered = () => document.querySelectorAll('.md-search-result__item').length > 0
    || meta.textContent.trim() === t['search.result.none'];
  document.querySelector('input.md-search__input').addEventListener('keyup', ev => {
    if (ev.key === 'End') { bench.typed = performance.now(); bench.answered = null; }
  }, true);
  new MutationObserver(() => {
    if (bench.typed !== null && bench.answered === null && answered())
      bench.answered = performance.now();
  }).observe(document.querySelector('.md-search-result'),
             { childList: true, subtree: true, characterData: true });
}"""


def index_size(site: Path, lang: str) -> dict[str, int]:
    data = (site / LANGUAGE_ROOTS[lang] / "search" / "search_index.json").read_bytes()
    return {"raw": len(data), "gzip": len(gzip.compress(data, 9))}


def measure_language(browser, base: str, site: Path, lang: str, repeat: int) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base + LANGUAGE_ROOTS[lang], wait_until="commit")
    ready_ms = page.wait_for_function(
        _READY_JS, polling="raf", timeout=30_000
    ).json_value()
    problems = open_search(page, base, lang)
    if problems:
        raise SystemExit("\n".join(problems))
    page.evaluate(_WATCH_JS)
    timings = {}
    for query in TIMED[lang]:
        runs = []
        for _ in range(repeat):
            page.keyboard.press("Control+A")
            page.keyboard.press("Backspace")
            wait_until(page, "() => !document.querySelector('.md-search-result__item')")
            page.keyboard.insert_text(query)
            page.keyboard.press("End")
            wait_until(page, "() => window.__bench.answered !== null")
            bench = page.evaluate("() => window.__bench")
            runs.append(bench["answered"] - bench["typed"])
        timings[query] = round(statistics.median(runs), 1)
    anchors = error_entry_anchors(site, lang)
    found = failed = 0
    failures = []
    for case in all_cases():
        if case.lang != lang:
            continue
        expected = list(case.expected)
        if case.message is not None:
            entry = anchors.get(" ".join(case.message.split()))
            # before the entries existed, the index page (its section) was the entry
            expected.append(f"errors/#{entry}" if entry else "errors/")
        problems = search_problems(page, base, lang, case.query, expected)
        if problems:
            failed += 1
            failures.append(case.query)
        else:
            found += 1
    context.close()
    return {
        "index": index_size(site, lang),
        "index_ready_ms": round(ready_ms),
        "first_result_ms": timings,
        "cases_found": found,
        "cases_missed": failed,
        "missed": failures,
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    report = {}
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for site in args.sites:
            with serve(site, SITE_PATH) as base:
                report[str(site)] = {
                    lang: measure_language(browser, base, site, lang, args.repeat)
                    for lang in LANGUAGE_ROOTS
                }
        browser.close()
    for site, languages in report.items():
        print(f"\n{site}")
        for lang, r in languages.items():
            print(
                f"  {lang}: index {r['index']['raw']:,} B raw, {r['index']['gzip']:,} B gzip; "
                f"index ready {r['index_ready_ms']} ms after opening the page; "
                f"cases found {r['cases_found']}/{r['cases_found'] + r['cases_missed']}"
            )
            for query, ms in r["first_result_ms"].items():
                print(f"      {ms:7.1f} ms  {query[:70]}")
    out = ROOT / "artifacts" / "search-benchmark.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nwritten to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
