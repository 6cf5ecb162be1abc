"""The "verified with" section of every page, generated from real runs of the test suite.

- ``versions/torch-releases.txt``: the torch releases the site claims, the pin first.
- ``versions/verified.jsonl``: one record a line, one line per run of the whole suite on one
  release, written by ``make test-torch`` and ``make test-offline`` (``record`` below).
- As a mkdocs hook (``hooks:`` in mkdocs.yml) it turns the line ``<!-- verified-releases -->``
  of a page into a table, in the page's language: each claimed release, when and where the
  suite ran on it, and whether the examples of *this* page passed. A release on which an
  example of the page failed must be named in a version note on that page, or the build
  fails: a failing claim is never skipped silently.

Bad input (a malformed record, an unknown release) fails the build with ``file:line``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RELEASES = HERE / "torch-releases.txt"
RECORDS = HERE / "verified.jsonl"
MARKER = "<!-- verified-releases -->"
DEVICES = {"cpu": "CPU", "cuda": "CUDA", "mps": "MPS"}
KEYS = {
    "torch": str,  # the release, without a local part: 2.14.1
    "build": str,  # torch.__version__ as installed: 2.14.1+cu130
    "date": str,  # UTC day of the run: 2026-11-30
    "devices": list,  # where every example ran: ["cpu", "cuda"]
    "python": str,
    "passed": int,
    "failed": int,
    "skipped": int,
    "failures": list,  # pytest ids of the failed tests
    "commit": str,  # the commit the run tested ("+changes": uncommitted changes too)
}
_KIND_NAMES = {str: "text", int: "a whole number", list: "a list"}
_RELEASE = re.compile(r"^\d+\.\d+\.\d+$")
_EXAMPLE = re.compile(r"examples/[\w/.-]+?\.py")
_INCLUDE = re.compile(r'^\s*--8<-- "(examples/[^":]+\.py)(?::[\w-]+)?"\s*$', re.M)


class RecordError(Exception):
    """Bad releases list or record; the message starts with ``file:line:``."""


def _name(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def pinned_torch(requirements: Path = ROOT / "requirements.txt") -> str:
    match = re.search(
        r"^torch==([^\s+]+)", requirements.read_text(encoding="utf-8"), re.M
    )
    if not match:
        raise RecordError(f"{_name(requirements)}:1: torch is not pinned with ==")
    return match[1]


def load_releases(path: Path = RELEASES) -> list[str]:
    """The claimed releases, in order; the first is the pin of requirements.txt."""
    releases: list[str] = []
    first_line = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not _RELEASE.match(line):
            raise RecordError(
                f"{_name(path)}:{number}: {line!r} is not a release like 2.14.1"
            )
        if line in releases:
            raise RecordError(f"{_name(path)}:{number}: {line} is listed twice")
        releases.append(line)
        first_line = first_line or number
    pin = pinned_torch()
    if not releases or releases[0] != pin:
        raise RecordError(
            f"{_name(path)}:{first_line or 1}: the first release must be the pin of "
            f"requirements.txt, torch {pin}"
        )
    return releases


@dataclass
class Record:
    line: int
    data: dict

    def __getattr__(self, key: str):
        try:
            return self.data[key]
        except KeyError:
            raise AttributeError(key) from None


def _check_record(data: object, releases: list[str]) -> str | None:
    """What is wrong with one record, or None."""
    if not isinstance(data, dict):
        return "a record is a JSON object"
    missing = [key for key in KEYS if key not in data]
    if missing:
        return f"missing {', '.join(missing)}"
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        return f"unknown {', '.join(unknown)} (expected only {', '.join(KEYS)})"
    for key, kind in KEYS.items():
        value = data[key]
        if not isinstance(value, kind) or isinstance(value, bool):
            return f"{key} must be {_KIND_NAMES[kind]}, not {value!r}"
    if data["torch"] not in releases:
        return (
            f"torch {data['torch']} is not in {_name(RELEASES)}; list it there or "
            "remove this record"
        )
    try:
        datetime.date.fromisoformat(data["date"])
    except ValueError:
        return f"date must be YYYY-MM-DD, not {data['date']!r}"
    for key in ("passed", "failed", "skipped"):
        if data[key] < 0:
            return f"{key} must be 0 or more, not {data[key]}"
    if data["passed"] + data["failed"] == 0:
        return "a run without a single test verifies nothing"
    if not all(isinstance(item, str) for item in data["failures"]):
        return "failures must be a list of test ids"
    if len(data["failures"]) != data["failed"]:
        return f"failed is {data['failed']} but failures lists {len(data['failures'])}"
    if not data["devices"] or not set(data["devices"]) <= set(DEVICES):
        return f"devices must be some of {', '.join(DEVICES)}, not {data['devices']!r}"
    return None


def load_records(
    path: Path = RECORDS, releases: list[str] | None = None
) -> list[Record]:
    """Every record, checked; a bad one raises ``RecordError`` naming ``file:line``."""
    releases = load_releases() if releases is None else releases
    if not path.exists():
        return []
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise RecordError(
                f"{_name(path)}:{number}: not JSON ({error.msg} at column {error.colno}); "
                "each line is one record written by `make test-torch`"
            ) from None
        problem = _check_record(data, releases)
        if problem:
            raise RecordError(
                f"{_name(path)}:{number}: {problem}; fix the line, or rerun "
                "`make test-torch TORCH=RELEASE` to write it again"
            )
        records.append(Record(number, data))
    return records


# --- the hook ---------------------------------------------------------------------------

TEXT = {
    "en": {
        "lead": (
            "Generated from the runs of the whole test suite on each PyTorch release this "
            "site covers (`make test-torch`, recorded in `versions/verified.jsonl`):"
        ),
        "head": "| PyTorch | date | devices | Python | examples on this page |",
        "pinned": " (pinned)",
        "passed": "all passed",
        "failed": "failed: {names} (see the version note)",
        "not_run": "not run yet",
    },
    "ja": {
        "lead": (
            "このサイトが対象とする PyTorch の各リリースでテスト一式を実行した記録"
            "(`make test-torch`、`versions/verified.jsonl`)から生成しています。"
        ),
        "head": "| PyTorch | 日付 | デバイス | Python | このページの例 |",
        "pinned": "(固定版)",
        "passed": "すべて合格",
        "failed": "不合格: {names}(バージョンの注記を参照)",
        "not_run": "未実行",
    },
}


def page_failures(record: Record, examples: set[str]) -> list[str]:
    """The failures of ``record`` that concern a page showing ``examples``.

    A failed test that names an example concerns the pages showing it; any other failed
    test (a page check, a build) concerns every page.
    """
    found = []
    for test in record.failures:
        named = set(_EXAMPLE.findall(test))
        if not named or named & examples:
            found.append(test)
    return found


def render(
    language: str,
    releases: list[str],
    records: list[Record],
    examples: set[str],
) -> tuple[str, dict[str, list[str]]]:
    """The table for one page, and the releases whose failures concern it."""
    text = TEXT.get(language, TEXT["en"])
    rows = [text["lead"], "", text["head"], "|---|---|---|---|---|"]
    failing: dict[str, list[str]] = {}
    for index, release in enumerate(releases):
        label = release + (text["pinned"] if index == 0 else "")
        runs = [record for record in records if record.torch == release]
        if not runs:
            rows.append(f"| {label} | — | — | — | {text['not_run']} |")
        for record in runs:
            devices = ", ".join(DEVICES[device] for device in record.devices)
            failures = page_failures(record, examples)
            if failures:
                failing.setdefault(release, []).extend(failures)
                names = sorted(
                    {name for test in failures for name in _EXAMPLE.findall(test)}
                    or set(failures)
                )
                result = text["failed"].format(
                    names=", ".join(f"`{name}`" for name in names)
                )
            else:
                result = text["passed"]
            rows.append(
                f"| {label} | {record.date} | {devices} | {record.python} | {result} |"
            )
    return "\n".join(rows) + "\n", failing


def table_for(text: str, source: str, language: str, releases, records) -> str:
    """The table for the page whose source is ``text``; ``source`` names it in errors.

    A release on which an example of the page failed must be named elsewhere on the
    page (a version note), or this raises.
    """
    examples = set(_INCLUDE.findall(text)) | set(_EXAMPLE.findall(text))
    table, failing = render(language, releases, records, examples)
    rest = text.replace(MARKER, "")
    for release, failures in failing.items():
        if release not in rest:
            line = text[: text.index(MARKER)].count("\n") + 1
            raise RecordError(
                f"{source}:{line}: on PyTorch {release} these failed: "
                f"{', '.join(failures)} ({_name(RECORDS)}). Add a version note to this "
                f"page that names {release} and what differs there."
            )
    return table


def expand(markdown: str, source: str, language: str, releases, records) -> str:
    """``markdown`` with the marker replaced by the table."""
    if MARKER not in markdown:
        return markdown
    table = table_for(markdown, source, language, releases, records)
    return markdown.replace(MARKER, "\n" + table)


_loaded: dict[str, object] = {}


def _paths(config) -> tuple[Path, Path]:
    extra = (config.get("extra") or {}).get("verified_releases") or {}
    return Path(extra.get("releases", RELEASES)), Path(extra.get("records", RECORDS))


def _language(config) -> str:
    return config["theme"].get("language") or "en"


def on_config(config):
    from mkdocs.exceptions import PluginError

    releases_path, records_path = _paths(config)
    try:
        releases = load_releases(releases_path)
        _loaded.update(releases=releases, records=load_records(records_path, releases))
    except RecordError as error:
        raise PluginError(str(error)) from None
    return config


def on_page_markdown(markdown, page, config, files):
    from mkdocs.exceptions import PluginError

    source = _name(Path(page.file.abs_src_path))
    try:
        return expand(
            markdown, source, _language(config), _loaded["releases"], _loaded["records"]
        )
    except RecordError as error:
        raise PluginError(str(error)) from None


def on_page_content(html, page, config, files):
    """Notebook pages (mkdocs-jupyter) skip the Markdown step: expand in their HTML."""
    if MARKER not in html:
        return html
    import markdown as md
    from mkdocs.exceptions import PluginError

    path = Path(page.file.abs_src_path)
    try:
        table = table_for(
            path.read_text(encoding="utf-8"),
            _name(path),
            _language(config),
            _loaded["releases"],
            _loaded["records"],
        )
    except RecordError as error:
        raise PluginError(str(error)) from None
    return html.replace(MARKER, md.markdown(table, extensions=["tables"]))


# --- recording a run ----------------------------------------------------------------------


def _junit_results(path: Path) -> tuple[int, int, list[str]]:
    """Passed, skipped and the ids of failed tests (failures and errors) of a JUnit file."""
    passed = skipped = 0
    failures = []
    for case in ET.parse(path).getroot().iter("testcase"):
        module = case.get("classname", "").replace(".", "/")
        test = f"{module}.py::{case.get('name')}"
        if case.find("failure") is not None or case.find("error") is not None:
            failures.append(test)
        elif case.find("skipped") is not None:
            skipped += 1
        else:
            passed += 1
    return passed, skipped, failures


def _commit() -> str:
    def git(*args: str) -> str:
        result = subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        )
        return result.stdout.strip() if result.returncode == 0 else ""

    commit = git("rev-parse", "--short=12", "HEAD") or "unknown"
    changed = [
        line
        for line in git("status", "--porcelain", "--untracked-files=no").splitlines()
        if not line.endswith(_name(RECORDS))
    ]
    return commit + ("+changes" if changed else "")


def record(junit: Path, expect: str | None, path: Path = RECORDS) -> int:
    """Add (or replace) the record of the run in ``junit``, made with this python's torch."""
    import torch

    sys.path.insert(0, str(ROOT / "tests"))
    from support.examples import available_devices

    release = torch.__version__.split("+")[0]
    if expect and release != expect:
        print(f"error: asked for torch {expect}, but this venv has {torch.__version__}")
        return 2
    releases = load_releases()
    if release not in releases:
        print(
            f"torch {release} is not listed in {_name(RELEASES)}: no record written "
            "(list it there to claim it)."
        )
        return 0
    passed, skipped, failures = _junit_results(junit)
    new = {
        "torch": release,
        "build": torch.__version__,
        "date": datetime.datetime.now(datetime.UTC).date().isoformat(),
        "devices": available_devices(),
        "python": platform.python_version(),
        "passed": passed,
        "failed": len(failures),
        "skipped": skipped,
        "failures": failures,
        "commit": _commit(),
    }
    problem = _check_record(new, releases)
    if problem:
        print(f"error: the run cannot be recorded: {problem}")
        return 2
    key = ("torch", "devices")
    kept = [
        r.data
        for r in load_records(path, releases)
        if tuple(r.data[k] for k in key) != tuple(new[k] for k in key)
    ]
    records = sorted(
        [*kept, new], key=lambda r: (releases.index(r["torch"]), r["devices"])
    )
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
        encoding="utf-8",
    )
    outcome = "none failed" if not failures else f"{len(failures)} failed"
    print(
        f"{_name(path)}: torch {torch.__version__} on {', '.join(new['devices'])}: "
        f"{passed} passed, {outcome}. Commit it with the pages."
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("record", help="record a run of the suite (a JUnit file)")
    add.add_argument("junit", type=Path)
    add.add_argument("--expect", help="the torch release this venv must have")
    commands.add_parser("check", help="check the releases list and every record")
    args = parser.parse_args(argv)
    try:
        if args.command == "record":
            return record(args.junit, args.expect)
        records = load_records()
        print(f"{_name(RECORDS)}: {len(records)} records, all well-formed")
        return 0
    except RecordError as error:
        print(f"error: {error}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
