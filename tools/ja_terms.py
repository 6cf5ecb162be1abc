"""Banned term variants in the prose of the Japanese pages.

docs/STYLE-ja.md settles one word per concept and lists the variants that must not come
back; tools/ja_terms.tsv holds that list in machine-readable form (per row, a regular
expression, the word to write instead, and an example that the expression matches). This finds them in the prose of ``docs/ja``:
code, link targets, attribute lists, HTML and URLs are skipped, as tools/ja_punctuation.py
skips them, and in a notebook page (``docs/ja/*.py``) only markdown cells are read.

    python tools/ja_terms.py docs/ja/*.md docs/ja/*.py

Exit status 1 when something is found, so that it can run as a check.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ja_punctuation import prose  # noqa: E402

TABLE = Path(__file__).with_name("ja_terms.tsv")
HEADER = ["never", "write", "example"]


@dataclass(frozen=True)
class Term:
    never: re.Pattern[str]
    write: str
    example: str  # a phrase that the pattern matches
    line: int  # in the table
    table: str  # the table, as the messages show it


@dataclass(frozen=True)
class Hit:
    path: Path
    line: int
    found: str
    term: Term

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: 「{self.found}」 is a banned variant; write "
            f"{self.term.write} (docs/STYLE-ja.md; {self.term.table}:{self.term.line})"
        )


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(TABLE.parent.parent).as_posix()
    except ValueError:
        return str(path)


def load(table: Path = TABLE) -> list[Term]:
    """The rows of ``table``. A malformed row raises ValueError naming table:line."""
    terms, header = [], None
    for number, line in enumerate(table.read_text(encoding="utf-8").split("\n"), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            if cells != HEADER:
                raise ValueError(
                    f"{table}:{number}: the header must be the columns "
                    f"{' <TAB> '.join(HEADER)}, tab-separated"
                )
            continue
        if len(cells) != len(HEADER) or not all(cell.strip() for cell in cells):
            raise ValueError(
                f"{table}:{number}: write a row as three tab-separated cells: a regular "
                "expression, the term to write instead, and an example it matches"
            )
        try:
            pattern = re.compile(cells[0])
        except re.error as error:
            raise ValueError(
                f"{table}:{number}: {cells[0]!r} is not a regular expression ({error})"
            ) from None
        if not pattern.search(cells[2]):
            raise ValueError(
                f"{table}:{number}: the pattern {cells[0]!r} does not match its "
                f"example {cells[2]!r}; fix one of them"
            )
        terms.append(Term(pattern, cells[1], cells[2], number, _shown(table)))
    return terms


def find(path: Path, terms: list[Term]) -> list[Hit]:
    """Every banned variant in the prose of ``path``, in line order."""
    return [
        Hit(path, number, match[0], term)
        for number, text in prose(path)
        for term in terms
        for match in term.never.finditer(text)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args(argv)
    terms = load()
    hits = [hit for path in args.paths for hit in find(path, terms)]
    for hit in hits:
        print(hit)
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
