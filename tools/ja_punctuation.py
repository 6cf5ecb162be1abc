"""Full-width parentheses and question marks in the prose of the Japanese pages.

docs/STYLE-ja.md asks for （） and ？ in Japanese text. Many input methods and tools turn them
into ASCII ( ) ? on the way in, so this finds (and with --fix, converts) the ASCII ones that
sit in prose: outside fenced code, inline code, link targets ``](...)``, attribute lists
``{ ... }``, HTML tags and URLs. In a notebook page (``docs/ja/*.py``) only markdown cells are
read, and the trailing ``(anchor)`` of a heading stays ASCII: it is the heading's anchor.

    python tools/ja_punctuation.py docs/ja/recipes.md          # list what would change
    python tools/ja_punctuation.py --fix docs/ja/recipes.md    # convert in place

Exit status 1 when something is (or was) found, so that it can run as a check.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from pathlib import Path

OPEN, CLOSE, QUESTION = "\uff08", "\uff09", "\uff1f"
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
# Parts of a line that are not prose, in the order they are tried.
_PROTECTED = re.compile(
    r"(?P<code>(?P<ticks>`+).+?(?P=ticks))"  # inline code
    r"|(?P<target>\]\((?:[^()\s]|\([^()\s]*\))*\))"  # a link target, with one level of ()
    r"|(?P<attrs>\{[^{}]*\})"  # attr_list: { #id }, { aria-label="..." }
    r"|(?P<tag><[^<>]+>)"  # HTML
    r"|(?P<url>https?://\S+)"
)
# "## 速度 (latency)" in a notebook: the anchor, kept ASCII
_HEADING_ANCHOR = re.compile(r"(\s\([a-z0-9-]+\))\s*$")
_JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")


# eval(), train(False) outside backticks: a call, not a bracket
_CODE_LIKE = re.compile(r"[A-Za-z0-9_.\]]$")
# A pair around inline code after a word is a gloss, "version counter(`_version`)", unless
# the word hangs on an operator: 2·sqrt(`eps`) is a call.
_OPERAND = re.compile(
    r"[^\sA-Za-z0-9_.\u3000-\u30ff\u3400-\u9fff\uff00-\uffef][A-Za-z0-9_.]+$"
)


def _call(line: str, i: int, j: int) -> bool:
    """``name(...)`` outside backticks with nothing Japanese inside: a call."""
    if _JAPANESE.search(line[i:j]) or not _CODE_LIKE.search(line[:i]):
        return False
    return "`" not in line[i:j] or bool(_OPERAND.search(line[:i]))


def _prose_spans(line: str) -> list[tuple[int, int]]:
    spans, position = [], 0
    for match in _PROTECTED.finditer(line):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, len(line)))
    return spans


def _english(line: str, i: int, j: int) -> bool:
    """An English aside, "word (note)": a space before it, nothing Japanese either side
    (the English column of a table, an English quotation)."""
    before, after = line[:i].rstrip(), line[j + 1 :].lstrip()
    return (
        line[i - 1 : i] == " "
        and not (before and _JAPANESE.match(before[-1]))
        and not (after and _JAPANESE.match(after[0]))
    )


def convert_line(line: str) -> str:
    """Full-width ( ) and ? in the prose of a line. A pair with nothing Japanese inside stays
    ASCII when it is a call written without backticks (``model.eval()``) or an English aside.
    Spaces around a converted bracket go (a full-width bracket carries its own space),
    except next to a table's pipe and before an attribute list (a heading's ``{ #id }``)."""
    chars = list(line)
    prose = [i for a, b in _prose_spans(line) for i in range(a, b)]
    stack, pairs, lone = [], [], []
    for i in prose:
        if line[i] == "(":
            stack.append(i)
        elif line[i] == ")":
            (pairs.append((stack.pop(), i)) if stack else lone.append(i))
    lone += stack
    for i in lone:
        chars[i] = OPEN if line[i] == "(" else CLOSE
    for i, j in pairs:
        if _call(line, i, j) or (
            not _JAPANESE.search(line[i:j]) and _english(line, i, j)
        ):
            continue
        chars[i], chars[j] = OPEN, CLOSE
    for i in prose:
        if line[i] == "?" and i and _JAPANESE.match(line[i - 1]):
            chars[i] = QUESTION
    line = "".join(chars)
    line = re.sub(rf"(?<=[^|\s]) +(?={OPEN})|(?<={OPEN}) +", "", line)
    return re.sub(rf" +(?={CLOSE})|(?<={CLOSE}) +(?=[^|\s{{])", "", line)


def text_spans(lines: list[str], notebook: bool) -> Iterator[tuple[int, int, int]]:
    """``(index, start, end)``: the part ``lines[index][start:end]`` that may hold prose.
    In a page, every line outside fenced code and snippet includes; in a notebook
    (``docs/ja/*.py``), the comment lines of markdown cells after their ``# ``, and a
    heading up to its trailing ``(anchor)``."""
    fence, markdown = None, False
    for index, line in enumerate(lines):
        if notebook:
            if line.startswith("# %%"):
                markdown = "[markdown]" in line
            elif markdown and line.startswith("# "):
                body = line[2:]
                anchor = _HEADING_ANCHOR.search(body) if body.startswith("#") else None
                yield index, 2, 2 + (anchor.start() if anchor else len(body))
            continue
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1).startswith(fence):
                fence = None
        elif opened:
            fence = opened.group(1)
        elif not line.lstrip().startswith("--8<--"):
            yield index, 0, len(line)


def convert_lines(lines: list[str], notebook: bool) -> list[str]:
    result = list(lines)
    for index, start, end in text_spans(lines, notebook):
        line = lines[index]
        result[index] = line[:start] + convert_line(line[start:end]) + line[end:]
    return result


def prose(path: Path) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` for each line of ``path`` that may hold prose, with what is
    not prose (inline code, link targets, attribute lists, HTML, URLs, a notebook
    heading's anchor) blanked out with NUL, so that a pattern cannot match across it."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for index, start, end in text_spans(lines, path.suffix == ".py"):
        text = lines[index][start:end]
        kept = ["\0"] * len(text)
        for a, b in _prose_spans(text):
            kept[a:b] = text[a:b]
        yield index + 1, "".join(kept)


def convert(path: Path) -> tuple[str, str]:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    new = convert_lines(lines, notebook=path.suffix == ".py")
    return text, "\n".join(new)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fix", action="store_true", help="convert in place")
    parser.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args(argv)
    found = False
    for path in args.paths:
        old, new = convert(path)
        if old == new:
            continue
        found = True
        for number, (a, b) in enumerate(
            zip(old.split("\n"), new.split("\n"), strict=True), start=1
        ):
            if a != b:
                print(f"{path}:{number}: {b.strip()}")
        if args.fix:
            path.write_text(new, encoding="utf-8")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
