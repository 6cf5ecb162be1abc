"""The "verified with" section of every page, generated from real runs of the test suite.

- ``versions/torch-releases.txt``: the torch releases the site claims, the pin first.
- ``versions/verified.jsonl``: one record a line, one line per run of the whole suite on one
  release, written by ``make test-torch`` and ``make test-offline`` (``record`` below). A
  record names exactly what ran: for each example, the sha256 of its file as it ran (and of
  each ``_helper.py`` of its folder that it imports) and its outcome on each device.
  ``make test-vision`` writes a record of its own: the examples that need torchvision
  (``# requires: torchvision``), which the pinned venv cannot run, with the torchvision
  version and the messages each example showed (``make test`` checks the error index
  against them).
- As a mkdocs hook (``hooks:`` in mkdocs.yml) it turns the line ``<!-- verified-releases -->``
  of a page into a table, in the page's language: each claimed release, when and where the
  suite ran on it, and whether the examples of *this* page passed. An example counts as
  passed on a release only if its file as it is now (and its helpers as they are now) ran
  and passed there; any other example of the page is counted as not run in its current
  form, or, in a run of the whole suite, as not run because it needs a library that the
  pinned venv lacks (torchvision: the page's table has a row for the run with it). A
  release on which an example of the page failed must be named in a version note
  on that page, or the build fails: a failing claim is never skipped silently.

Bad input (a malformed record, an unknown release) fails the build with ``file:line``.
"""

from __future__ import annotations

import argparse
import ast
import datetime
import hashlib
import json
import platform
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
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
# What ran, written by every run since records name it. A record without these keys (an
# older one) verifies no example in its current form.
CONTENT_KEYS = {
    # each example that ran: the sha256 of its file as it ran, its outcome on each device
    # "examples/answer/dropout.py": {"sha256": "3f2a9c1b7d4e0a12", "cpu": "passed"}
    "examples": dict,
    # each helper that an example imported: "examples/training_stack/_two_ranks.py": "9a0b…"
    "helpers": dict,
}
# A library installed for a run of its own (make test-vision), not in requirements.txt: its
# version, as installed, names the run. Such a record holds only the examples that need it.
LIBRARY_KEYS = {"torchvision": str}  # "0.29.1+cu130"
# In such a record, each example also holds the messages it showed (line, normalised text):
# `make test`, which cannot run it, checks the error index against them.
SHOWN = "shown"
SHOWN_PROPERTY = (
    "shown:"  # a JUnit property of test_error_index: shown:FILE = [line, text]
)
OUTCOMES = ("passed", "failed", "skipped")
HASH_DIGITS = 16  # of the sha256, in hex: `sha256sum FILE | cut -c1-16`
_KIND_NAMES = {str: "text", int: "a whole number", list: "a list", dict: "an object"}
_RELEASE = re.compile(r"^\d+\.\d+\.\d+$")
_EXAMPLE = re.compile(r"examples/[\w/.-]+?\.py")
_REQUIRES = re.compile(
    r"^# requires: *(\S+) *$", re.M
)  # as tests/support/examples.py reads it
_EXAMPLE_FILE = re.compile(r"^examples/[\w/.-]+\.py$")
_HASH = re.compile(rf"^[0-9a-f]{{{HASH_DIGITS}}}$")
_INCLUDE = re.compile(r'^\s*--8<-- "(examples/[^":]+\.py)(?::[\w-]+)?"\s*$', re.M)
_OUTPUT_TEST = re.compile(
    r"^tests/test_examples\.py::test_output\[(examples/[^\]]+\.py)-(\w+)\]$"
)
_DIGEST_PROPERTY = "sha256:"  # a test's JUnit property: sha256:examples/x/y.py = digest


class RecordError(Exception):
    """Bad releases list or record; the message starts with ``file:line:``."""


def _name(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


# --- what an example's run depends on ------------------------------------------------------


def file_digest(path: Path) -> str:
    """The first 16 hex digits of the sha256 of ``path``: ``sha256sum FILE | cut -c1-16``."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_DIGITS]


def is_helper(path: str | Path) -> bool:
    """``examples/<topic>/_helper.py``: imported by examples, never run as one."""
    return Path(path).name.startswith("_")


def _imported_names(path: Path) -> set[str]:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (SyntaxError, ValueError):  # it fails when it runs; nothing more to find
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def helpers_of(example: Path) -> list[Path]:
    """The ``_helper.py`` files of the example's folder that it imports, directly or
    through another helper: an example runs with its folder first on ``sys.path``, as
    ``python examples/x/y.py`` would, so ``from _two_ranks import …`` is one of these."""
    found: set[Path] = set()
    todo = [example]
    while todo:
        for name in _imported_names(todo.pop()):
            helper = example.parent / f"{name}.py"
            if is_helper(helper) and helper.is_file() and helper not in found:
                found.add(helper)
                todo.append(helper)
    return sorted(found)


def libraries_required(example: str) -> list[str]:
    """The libraries of LIBRARY_KEYS that ``example`` names in a ``# requires:`` line."""
    path = ROOT / example
    if not path.is_file():
        return []
    names = set(_REQUIRES.findall(path.read_text(encoding="utf-8")))
    return [library for library in LIBRARY_KEYS if library in names]


def content_digests(example: Path) -> dict[str, str]:
    """What a run of ``example`` depends on: its file and each helper it imports, by name
    (``examples/…``), with the digest of each as it is now."""
    return {_name(path): file_digest(path) for path in [example, *helpers_of(example)]}


def output_test(example: str, device: str) -> str:
    """The pytest id of the run of ``example`` on ``device``."""
    return f"tests/test_examples.py::test_output[{example}-{device}]"


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
    unknown = sorted(set(data) - set(KEYS) - set(CONTENT_KEYS) - set(LIBRARY_KEYS))
    if unknown:
        return (
            f"unknown {', '.join(unknown)} (expected only "
            f"{', '.join([*KEYS, *CONTENT_KEYS, *LIBRARY_KEYS])})"
        )
    for key, kind in LIBRARY_KEYS.items():
        if key in data and not isinstance(data[key], kind):
            return f"{key} must be {_KIND_NAMES[kind]}, not {data[key]!r}"
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
    return _check_content(data)


def _check_content(data: dict) -> str | None:
    """What is wrong with the ``examples`` and ``helpers`` of a record, or None."""
    present = [key for key in CONTENT_KEYS if key in data]
    if not present:
        return None  # an older record: it verifies no example in its current form
    if len(present) < len(CONTENT_KEYS):
        missing = [key for key in CONTENT_KEYS if key not in data]
        return f"{present[0]} without {', '.join(missing)}: they are written together"
    for key, kind in CONTENT_KEYS.items():
        if not isinstance(data[key], kind):
            return f"{key} must be {_KIND_NAMES[kind]}, not {data[key]!r}"
    for name, digest in data["helpers"].items():
        if not (_EXAMPLE_FILE.match(name) and is_helper(name)):
            return f"helpers: {name!r} is not a helper (examples/<topic>/_name.py)"
        if not isinstance(digest, str) or not _HASH.match(digest):
            return f"helpers: {name}: {digest!r} is not {HASH_DIGITS} hex digits"
    for name, ran in data["examples"].items():
        if not _EXAMPLE_FILE.match(name) or is_helper(name):
            return f"examples: {name!r} is not an example (examples/<topic>/<name>.py)"
        if not isinstance(ran, dict) or not _HASH.match(str(ran.get("sha256"))):
            return f"examples: {name}: sha256 must be {HASH_DIGITS} hex digits"
        shown = ran.get(SHOWN, [])
        if not isinstance(shown, list) or not all(
            isinstance(item, list)
            and len(item) == 2
            and isinstance(item[0], int)
            and isinstance(item[1], str)
            for item in shown
        ):
            return f"examples: {name}: {SHOWN} must be a list of [line, message]"
        outcomes = _outcomes(ran)
        if not outcomes:
            return f"examples: {name}: no outcome on any device"
        for device, outcome in outcomes.items():
            if device not in DEVICES:
                return f"examples: {name}: {device!r} is not a device ({', '.join(DEVICES)})"
            if outcome not in OUTCOMES:
                return (
                    f"examples: {name}: {device} must be one of {', '.join(OUTCOMES)}, "
                    f"not {outcome!r}"
                )
            if device not in data["devices"] and outcome != "skipped":
                # an example that requires a device the run lacked is skipped there
                return (
                    f"examples: {name} {outcome} on {device}, which is not one of the "
                    f"run's devices ({', '.join(data['devices'])})"
                )
            listed = output_test(name, device) in data["failures"]
            if (outcome == "failed") != listed:
                return (
                    f"examples: {name} {outcome} on {device}, but failures "
                    f"{'lists' if listed else 'does not list'} {output_test(name, device)}"
                )
    return None


def _outcomes(ran: dict) -> dict[str, str]:
    """An example's outcome on each device it ran on, from its entry in a record."""
    return {key: value for key, value in ran.items() if key not in ("sha256", SHOWN)}


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
            "site covers (`make test-torch`, recorded in `versions/verified.jsonl`). An "
            "example counts as passed on a release only if its file as it is now ran and "
            "passed there:"
        ),
        "head": "| PyTorch | date | devices | Python | examples on this page |",
        "pinned": " (pinned)",
        "passed": "all passed",
        "some_passed": "{passed} of {total} passed",
        "not_current": "{count} not run on this release in their current form",
        "needs": "{count} not run: they need {library} (see the {library} row)",
        "failed": "failed: {names} (see the version note)",
        "no_examples": "no examples on this page",
        "join": "; ",
        "not_run": "not run yet",
        "library_lead": (
            "A row that names torchvision is a run of `make test-vision`: only the "
            "examples that need torchvision, in a venv of their own with the torch build "
            "and the torchvision named in the row."
        ),
    },
    "ja": {
        "lead": (
            "このサイトが対象とする PyTorch の各リリースでテスト一式を実行した記録"
            "(`make test-torch`、`versions/verified.jsonl`)から生成しています。"
            "例を合格と数えるのは、現在の内容のファイルがそのリリースで実行され、"
            "合格した場合だけです。"
        ),
        "head": "| PyTorch | 日付 | デバイス | Python | このページの例 |",
        "pinned": "(固定版)",
        "passed": "すべて合格",
        "some_passed": "{total} 件中 {passed} 件合格",
        "not_current": "{count} 件は現在の内容ではこのリリースで未実行",
        "needs": "{count} 件は {library} が必要なため未実行({library} の行を参照)",
        "failed": "不合格: {names}(バージョンの注記を参照)",
        "no_examples": "このページに例はありません",
        "join": "、",
        "not_run": "未実行",
        "library_lead": (
            "torchvision を記した行は `make test-vision` の記録です。torchvision が必要な"
            "例だけを、その行に記した torch のビルドと torchvision を入れた専用の仮想環境で"
            "実行しています。"
        ),
    },
}


@dataclass
class Verdict:
    """What one run says about the examples of one page."""

    total: int = 0  # the page's examples (helpers are not examples)
    passed: int = 0  # ran in their current form and passed on every device they ran on
    not_current: int = 0  # not run in their current form (or skipped wherever they ran)
    # not run because they need a library that a run of the whole suite lacks: count
    needs: dict[str, int] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)  # failed in their current form
    failures: list[str] = field(
        default_factory=list
    )  # the failed tests that concern it

    @property
    def all_passed(self) -> bool:
        return self.passed == self.total and not self.failures


def ran_as_now(example: str, ran: dict, helpers: dict[str, str]) -> bool:
    """Whether the run recorded as ``ran`` (and ``helpers``) ran ``example`` as it is now:
    the same file, importing the same helpers, each the same."""
    path = ROOT / example
    if not path.is_file():
        return False
    now = content_digests(path)
    return ran["sha256"] == now.pop(example) and all(
        helpers.get(name) == digest for name, digest in now.items()
    )


def page_verdict(record: Record, examples: set[str]) -> Verdict:
    """What ``record`` says about a page showing ``examples``.

    An example passed only if it ran as it is now and passed on every device it ran on;
    it failed only if it failed as it is now. Anything else about it (not in the record,
    a record older than the content keys, a different file or helper, skipped wherever
    it ran) is "not run in its current form", unless the record is a run of the whole
    suite and the example needs a library (``# requires: torchvision``) and did not run
    there (skipped or absent): then it was not run because that venv lacks the library,
    and is counted under that library. A failed test that names no example (a
    page check, a build) concerns every page.
    """
    verdict = Verdict(failures=[t for t in record.failures if not _EXAMPLE.search(t)])
    ran_all = record.data.get("examples")
    helpers = record.data.get("helpers", {})
    whole_suite = not libraries_of(record)
    for example in sorted(e for e in examples if not is_helper(e)):
        verdict.total += 1
        ran = (ran_all or {}).get(example)
        needs = libraries_required(example) if whole_suite else []
        # A whole suite run in a venv that had the library (make test-torch with
        # TORCH_VENV=.venv-vision) did run it: that outcome counts as usual.
        ran_here = ran is not None and any(
            outcome != "skipped" for outcome in _outcomes(ran).values()
        )
        if needs and not ran_here:
            verdict.needs[needs[0]] = verdict.needs.get(needs[0], 0) + 1
            continue
        if ran is None or not ran_as_now(example, ran, helpers):
            verdict.not_current += 1
            continue
        named = [t for t in record.failures if example in _EXAMPLE.findall(t)]
        outcomes = list(_outcomes(ran).values())
        if named or "failed" in outcomes:
            verdict.failed.append(example)
            verdict.failures.extend(named)
        elif all(outcome == "passed" for outcome in outcomes):
            verdict.passed += 1
        else:  # skipped: it needs a device this run did not have
            verdict.not_current += 1
    return verdict


def cell(text: dict[str, str], verdict: Verdict) -> str:
    """The page's cell for one run, in the language of ``text``."""
    if verdict.total == 0 and not verdict.failures:
        return text["no_examples"]
    if verdict.all_passed:
        return text["passed"]
    needing = sum(verdict.needs.values())
    parts = (
        []  # none of them could run here: the count would say nothing more
        if needing == verdict.total
        else [text["some_passed"].format(passed=verdict.passed, total=verdict.total)]
    )
    parts.extend(
        text["needs"].format(count=count, library=library)
        for library, count in verdict.needs.items()
    )
    if verdict.not_current:
        parts.append(text["not_current"].format(count=verdict.not_current))
    if verdict.failures:
        general = [t for t in verdict.failures if not _EXAMPLE.search(t)]
        names = [*verdict.failed, *general]
        parts.append(
            text["failed"].format(names=", ".join(f"`{name}`" for name in names))
        )
    return text["join"].join(parts)


def render(
    language: str,
    releases: list[str],
    records: list[Record],
    examples: set[str],
) -> tuple[str, dict[str, list[str]]]:
    """The table for one page, and the releases whose failures concern it."""
    text = TEXT.get(language, TEXT["en"])
    rows = [text["head"], "|---|---|---|---|---|"]
    failing: dict[str, list[str]] = {}
    library_rows = False
    for index, release in enumerate(releases):
        label = release + (text["pinned"] if index == 0 else "")
        # a run with a library (make test-vision) ran only the examples that need it:
        # it has a row on the pages that show one of them
        runs = [
            record
            for record in records
            if record.torch == release
            and (not libraries_of(record) or examples & set(record.examples))
        ]
        if not runs:
            rows.append(f"| {label} | — | — | — | {text['not_run']} |")
        for record in runs:
            devices = ", ".join(DEVICES[device] for device in record.devices)
            verdict = page_verdict(record, examples)
            if verdict.failures:
                failing.setdefault(release, []).extend(verdict.failures)
            libraries = libraries_of(record)
            library_rows = library_rows or bool(libraries)
            name = (
                f"`{record.build}`{label.removeprefix(release)} + {libraries}"
                if libraries
                else label
            )
            rows.append(
                f"| {name} | {record.date} | {devices} | {record.python} "
                f"| {cell(text, verdict)} |"
            )
    after = ["", text["library_lead"]] if library_rows else []
    return "\n".join([text["lead"], "", *rows, *after]) + "\n", failing


def libraries_of(record: Record) -> str:
    """The libraries a run was made with, beyond requirements.txt: ``torchvision 0.29.1``
    (empty for a run of the whole suite)."""
    return ", ".join(
        f"{key} `{record.data[key]}`" for key in LIBRARY_KEYS if key in record.data
    )


def passing_library_run(example: str, records: list[Record]) -> dict | None:
    """The entry of ``example`` in the newest of ``records`` that ran it as it is now
    (with its helpers as they are now) and in which it passed, or None."""
    for record in reversed(records):
        if page_verdict(record, {example}).all_passed:
            return record.examples[example]
    return None


def stale_library_run(example: str, records: list[Record], libraries: str) -> str:
    """Why none of ``records`` (runs with ``libraries``) verifies ``example`` as it is
    now: what the newest run that names it ran, against the files as they are now."""
    now = content_digests(ROOT / example) if (ROOT / example).is_file() else {}
    what = ", ".join(f"{name} {digest}" for name, digest in now.items())
    head = (
        f"{example}: no run with {libraries} of it as it is now ({what}) passed in "
        f"{_name(RECORDS)}"
    )
    named = [r for r in records if example in r.data.get("examples", {})]
    if not named:
        return f"{head}: no run with {libraries} names it."
    last = named[-1]
    ran = {example: last.examples[example]["sha256"], **last.data.get("helpers", {})}
    changed = [
        f"{name} ran as {ran.get(name, 'nothing')}"
        for name, digest in now.items()
        if ran.get(name) != digest
    ]
    if changed:
        return f"{head}: the last one ({last.date}) ran another content: {'; '.join(changed)}."
    outcomes = ", ".join(
        f"{d} {o}" for d, o in _outcomes(last.examples[example]).items()
    )
    failures = [t for t in last.failures if example in _EXAMPLE.findall(t)]
    return (
        f"{head}: in the last one ({last.date}) it did not pass ({outcomes}"
        + (f"; failed: {', '.join(failures)}" if failures else "")
        + ")."
    )


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


@dataclass
class Run:
    """A run of the suite, as its JUnit file tells it."""

    # An example's entry also holds the messages it showed (SHOWN) when test_error_index
    # left them (it does for the examples that need a library: make test-vision).

    passed: int
    skipped: int
    failures: list[str]  # the ids of the failed tests (failures and errors)
    examples: dict[str, dict[str, str]]  # example -> sha256 and outcome per device
    helpers: dict[str, str]  # helper -> sha256


def read_junit(path: Path) -> Run:
    """The run in a JUnit file of ``pytest --junitxml``.

    Each ``test_output`` test leaves a property ``sha256:FILE`` for its example and for
    each helper that example imports (tests/test_examples.py), taken as it read the
    file. A file seen with two different digests changed during the run: which content
    ran is unknown, so it is left out (and so counts as not run in its current form).
    """
    passed = skipped = 0
    failures: list[str] = []
    outcomes: dict[str, dict[str, str]] = {}
    seen: dict[str, set[str]] = {}
    shown: dict[str, list] = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        module = case.get("classname", "").replace(".", "/")
        test = f"{module}.py::{case.get('name')}"
        if case.find("failure") is not None or case.find("error") is not None:
            failures.append(test)
            outcome = "failed"
        elif case.find("skipped") is not None:
            skipped += 1
            outcome = "skipped"
        else:
            passed += 1
            outcome = "passed"
        output = _OUTPUT_TEST.match(test)
        if output:
            outcomes.setdefault(output[1], {})[output[2]] = outcome
        for prop in case.iter("property"):
            name = prop.get("name", "")
            if name.startswith(_DIGEST_PROPERTY):
                seen.setdefault(name.removeprefix(_DIGEST_PROPERTY), set()).add(
                    prop.get("value", "")
                )
            elif name.startswith(SHOWN_PROPERTY):
                shown.setdefault(name.removeprefix(SHOWN_PROPERTY), []).append(
                    json.loads(prop.get("value", "null"))
                )
    digests = {name: found.pop() for name, found in seen.items() if len(found) == 1}
    examples = {
        example: {
            "sha256": digests[example],
            **dict(sorted(devices.items())),
            **({SHOWN: shown[example]} if example in shown else {}),
        }
        for example, devices in sorted(outcomes.items())
        if example in digests
    }
    helpers = {name: d for name, d in sorted(digests.items()) if is_helper(name)}
    return Run(passed, skipped, failures, examples, helpers)


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


def installed_libraries(wanted: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The version of each library of ``wanted`` (name -> release) as this python has it
    (its ``__version__``: 0.29.1+cu130), and how they differ from ``wanted``."""
    import importlib

    found, problems = {}, []
    for name, release in wanted.items():
        if name not in LIBRARY_KEYS:
            problems.append(f"{name} is not one of {', '.join(LIBRARY_KEYS)}")
            continue
        try:
            version = importlib.import_module(name).__version__
        except Exception as error:  # noqa: BLE001 - torchvision fails to load in many ways
            problems.append(f"{name}=={release}, but it does not load: {error}")
            continue
        if version.split("+")[0] != release:
            problems.append(f"{name}=={release}, but {version} is installed")
        found[name] = version
    return found, problems


def record(
    junit: Path,
    expect: str | None,
    path: Path = RECORDS,
    libraries: dict[str, str] | None = None,
) -> int:
    """Add (or replace) the record of the run in ``junit``, made with this python's torch
    (and ``libraries``, name -> release, for a run of the examples that need them)."""
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
    installed, problems = installed_libraries(libraries or {})
    if problems:
        print(f"error: the run cannot be recorded: {'; '.join(problems)}")
        return 2
    run = read_junit(junit)
    new = {
        "torch": release,
        "build": torch.__version__,
        "date": datetime.datetime.now(datetime.UTC).date().isoformat(),
        "devices": available_devices(),
        "python": platform.python_version(),
        "passed": run.passed,
        "failed": len(run.failures),
        "skipped": run.skipped,
        "failures": run.failures,
        "commit": _commit(),
        "examples": run.examples,
        "helpers": run.helpers,
        **installed,
    }
    problem = _check_record(new, releases)
    if problem:
        print(f"error: the run cannot be recorded: {problem}")
        return 2
    # one record per release, devices and library (a run of the whole suite has none)
    key = ("torch", "devices", *LIBRARY_KEYS)
    kept = [
        r.data
        for r in load_records(path, releases)
        if tuple(r.data.get(k) for k in key) != tuple(new.get(k) for k in key)
    ]
    records = sorted(
        [*kept, new], key=lambda r: (releases.index(r["torch"]), r["devices"])
    )
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
        encoding="utf-8",
    )
    outcome = "none failed" if not run.failures else f"{len(run.failures)} failed"
    with_libraries = "".join(f" + {name} {v}" for name, v in installed.items())
    print(
        f"{_name(path)}: torch {torch.__version__}{with_libraries} on "
        f"{', '.join(new['devices'])}: "
        f"{run.passed} passed, {outcome}; {len(run.examples)} examples and "
        f"{len(run.helpers)} helpers recorded with the sha256 of what ran. "
        "Commit it with the pages."
    )
    return 0


_PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)$")


def venv_problems(
    release: str, requirements: Path = ROOT / "requirements.txt"
) -> list[str]:
    """How this python's packages differ from ``requirements`` with ``torch==release``."""
    from importlib import metadata

    problems = []
    lines = requirements.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        pin = _PIN.match(line.strip())
        if not pin:
            continue
        name = pin["name"]
        wanted = release if name.lower() == "torch" else pin["version"]
        try:
            have = metadata.version(name)
        except metadata.PackageNotFoundError:
            have = None
        if have is None or have.split("+")[0] != wanted:
            problems.append(
                f"{_name(requirements)}:{number}: {name}=={wanted}, but "
                + (f"{have} is installed" if have else "it is not installed")
            )
    return problems


def check_venv(release: str, libraries: dict[str, str] | None = None) -> int:
    """0 if this python has exactly the pins of requirements.txt, torch==``release``
    (and ``libraries``, name -> release)."""
    problems = venv_problems(release) + installed_libraries(libraries or {})[1]
    plus = "".join(f" + {name}=={v}" for name, v in (libraries or {}).items())
    if not problems:
        print(f"{sys.prefix}: requirements.txt with torch=={release}{plus}, as pinned")
        return 0
    print(
        f"error: {sys.prefix} does not hold requirements.txt with torch=={release}"
        f"{plus}:\n  "
        + "\n  ".join(problems)
        + f"\nThis checkout's own venv: remove it (rm -r {sys.prefix}) and run make "
        f"test-torch TORCH={release} again to install it. A venv given as TORCH_VENV: "
        f"give one installed from this requirements.txt with torch=={release}, or "
        "leave TORCH_VENV out to make one here."
    )
    return 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("record", help="record a run of the suite (a JUnit file)")
    add.add_argument("junit", type=Path)
    add.add_argument("--expect", help="the torch release this venv must have")
    add.add_argument(
        "--with",
        dest="libraries",
        action="append",
        default=[],
        metavar="NAME==RELEASE",
        help="a library the run was made with (torchvision==0.29.1): a run of the "
        "examples that need it",
    )
    commands.add_parser("check", help="check the releases list and every record")
    venv = commands.add_parser(
        "venv", help="check that this python has requirements.txt with torch==RELEASE"
    )
    venv.add_argument("release")
    venv.add_argument("--with", dest="libraries", action="append", default=[])
    args = parser.parse_args(argv)
    try:
        if args.command in ("record", "venv"):
            libraries = dict(pin.partition("==")[::2] for pin in args.libraries)
        if args.command == "record":
            return record(args.junit, args.expect, libraries=libraries)
        if args.command == "venv":
            return check_venv(args.release, libraries)
        records = load_records()
        print(f"{_name(RECORDS)}: {len(records)} records, all well-formed")
        return 0
    except RecordError as error:
        print(f"error: {error}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
