"""Reading the site's pages: code fences, includes, headings and links, with line numbers.

Every problem is reported as ``docs/<lang>/<page>:<line>: <what is wrong>; <how to fix it>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from support.examples import ROOT, relative

DOCS_DIR = ROOT / "docs"
LANGUAGES = ("ja", "en")  # the first one is the site's root
PAGE_SUFFIXES = (".md", ".py")  # .py pages are notebooks (mkdocs-jupyter)

_FENCE_OPEN = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})\s*(?P<info>.*)$")
_INCLUDE = re.compile(r'^--8<-- "(?P<target>[^":]+)(?::(?P<section>[\w-]+))?"$')
_TITLE = re.compile(r'title="(?P<title>[^"]*)"')
# Python-Markdown makes a heading of any line that starts with '#', a space after the
# hashes or not ("#5292 was ..." wrapped to a line start becomes an <h1>).
_HEADING = re.compile(r"^(?P<hashes>#{1,6})(?P<space>\s*)(?P<text>.*?)\s*$")
_ANCHOR = re.compile(r"\{\s*#(?P<anchor>[\w-]+)\s*\}\s*$")
_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)\)")
_SECTION_MARK = "# --8<-- [{kind}:{name}]"


@dataclass
class Fence:
    line: int
    info: str
    body: list[str]


@dataclass
class Include:
    line: int
    target: str
    section: str | None
    title: str | None


@dataclass
class Heading:
    line: int
    level: int
    text: str
    anchor: str | None
    spaced: bool = (
        True  # '# Title', not '#5292 ...' (a wrapped line, rendered as a heading)
    )


@dataclass
class Link:
    line: int
    text: str
    target: str


@dataclass
class Page:
    path: Path
    fences: list[Fence] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return relative(self.path)

    def includes(self) -> list[Include]:
        found = []
        for fence in self.fences:
            body = [line.strip() for line in fence.body if line.strip()]
            match = _INCLUDE.match(body[0]) if len(body) == 1 else None
            if match:
                title = _TITLE.search(fence.info)
                found.append(
                    Include(
                        fence.line + 1,
                        match["target"],
                        match["section"],
                        title["title"] if title else None,
                    )
                )
        return found

    def anchors(self) -> list[str]:
        return [h.anchor for h in self.headings if h.anchor]


def parse_page(path: Path) -> Page:
    """Fences (with their first line), headings outside fences, and links."""
    page = Page(path, lines=path.read_text(encoding="utf-8").splitlines())
    if path.suffix != ".md":
        return page
    open_fence: tuple[str, Fence] | None = None
    for number, line in enumerate(page.lines, start=1):
        if open_fence:
            marker, fence = open_fence
            if line.strip().startswith(marker) and not line.strip().strip(marker[0]):
                open_fence = None
            else:
                fence.body.append(line)
            continue
        opened = _FENCE_OPEN.match(line)
        if opened:
            fence = Fence(number, opened["info"].strip(), [])
            page.fences.append(fence)
            open_fence = (opened["fence"], fence)
            continue
        heading = _HEADING.match(line)
        if heading:
            anchor = _ANCHOR.search(heading["text"])
            page.headings.append(
                Heading(
                    number,
                    len(heading["hashes"]),
                    heading["text"],
                    anchor["anchor"] if anchor else None,
                    bool(heading["space"]),
                )
            )
        for link in _LINK.finditer(line):
            page.links.append(Link(number, link["text"], link["target"]))
    return page


def find_pages(docs_dir: Path = DOCS_DIR) -> dict[str, dict[str, Page]]:
    """``{language: {relative page path: Page}}`` for every page under ``docs/<lang>/``."""
    pages: dict[str, dict[str, Page]] = {}
    for language in LANGUAGES:
        root = docs_dir / language
        pages[language] = {
            path.relative_to(root).as_posix(): parse_page(path)
            for path in sorted(root.rglob("*"))
            if path.suffix in PAGE_SUFFIXES and path.is_file()
        }
    return pages


def section_names(source: str) -> set[str]:
    starts = set(re.findall(r"^\s*# --8<-- \[start:([\w-]+)\]\s*$", source, re.M))
    ends = set(re.findall(r"^\s*# --8<-- \[end:([\w-]+)\]\s*$", source, re.M))
    return starts & ends


def fence_problems(page: Page, root: Path = ROOT) -> list[str]:
    """Each code block is exactly one include of an existing example (or section)."""
    problems = []
    includes = {include.line - 1: include for include in page.includes()}
    for fence in page.fences:
        where = f"{page.name}:{fence.line}"
        include = includes.get(fence.line)
        if include is None:
            problems.append(
                f"{where}: code block is not an include of an example; move the code "
                'into examples/<topic>/<name>.py and write only --8<-- "examples/'
                '<topic>/<name>.py" in the block, so that the tests run it.'
            )
            continue
        if not fence.info.startswith("python"):
            problems.append(
                f"{where}: an example block must be ```python, not ```{fence.info}."
            )
        target = root / include.target
        if not include.target.startswith("examples/") or target.suffix != ".py":
            problems.append(
                f"{where}: includes {include.target}; only files in examples/ can be "
                "included, because only they are run by the tests."
            )
        elif not target.is_file():
            problems.append(
                f"{where}: includes {include.target}, which does not exist; create it "
                "or fix the path (relative to the repository root)."
            )
        elif include.section and include.section not in section_names(
            target.read_text(encoding="utf-8")
        ):
            problems.append(
                f"{where}: {include.target} has no section '{include.section}'; mark it "
                f"with '{_SECTION_MARK.format(kind='start', name=include.section)}' and "
                f"'{_SECTION_MARK.format(kind='end', name=include.section)}'."
            )
        if include.title != include.target:
            problems.append(
                f'{where}: title the block with its file, title="{include.target}", so '
                "readers know which file to run."
            )
    for number, line in enumerate(page.lines, start=1):
        if line.strip().startswith("--8<--") and not any(
            f.line < number <= f.line + len(f.body) for f in page.fences
        ):
            problems.append(
                f"{page.name}:{number}: include outside a code block; wrap it in "
                '```python title="..." so it renders as code.'
            )
    return problems


def heading_problems(page: Page) -> list[str]:
    """Every heading has an explicit English anchor (Japanese ones slugify to _1, _2)."""
    problems = []
    for heading in page.headings:
        if not heading.spaced:
            problems.append(
                f"{page.name}:{heading.line}: this line starts with '#', so Markdown makes it "
                "a heading; rewrap the paragraph so that no line starts with '#' (e.g. an "
                "issue number like #5292)."
            )
        elif heading.anchor is None:
            problems.append(
                f"{page.name}:{heading.line}: heading without an explicit anchor; end it "
                "with { #english-id }, the same id in both languages."
            )
        elif not re.fullmatch(r"[a-z0-9-]+", heading.anchor):
            problems.append(
                f"{page.name}:{heading.line}: anchor #{heading.anchor} must be lower-case "
                "English words joined by '-'."
            )
    anchors = page.anchors()
    for anchor in sorted({a for a in anchors if anchors.count(a) > 1}):
        problems.append(f"{page.name}: anchor #{anchor} is used twice; make it unique.")
    return problems


def twin_problems(name: str, ja: Page | None, en: Page | None) -> list[str]:
    """The two languages have the same pages, includes, anchors and internal links."""
    if ja is None or en is None:
        present, missing = ("ja", "en") if en is None else ("en", "ja")
        return [
            f"docs/{present}/{name}:1: this page has no twin docs/{missing}/{name}; "
            "add the translation in the same commit."
        ]
    problems = []

    def compare(what: str, left: list, right: list, line_of) -> None:
        if left == right:
            return
        index = next(
            (i for i, (a, b) in enumerate(zip(left, right, strict=False)) if a != b),
            min(len(left), len(right)),
        )
        ja_line = line_of(ja, index)
        en_line = line_of(en, index)
        problems.append(
            f"{ja.name}:{ja_line} / {en.name}:{en_line}: the twins differ in their {what} "
            f"(item {index + 1}: {left[index] if index < len(left) else 'none'} vs "
            f"{right[index] if index < len(right) else 'none'}); keep both languages "
            "in the same order."
        )

    def include_line(page: Page, index: int) -> int:
        includes = page.includes()
        return includes[index].line if index < len(includes) else len(page.lines)

    def heading_line(page: Page, index: int) -> int:
        return (
            page.headings[index].line if index < len(page.headings) else len(page.lines)
        )

    def link_line(page: Page, index: int) -> int:
        links = internal_links(page)
        return links[index].line if index < len(links) else len(page.lines)

    compare(
        "included examples",
        [(i.target, i.section) for i in ja.includes()],
        [(i.target, i.section) for i in en.includes()],
        include_line,
    )
    compare(
        "heading anchors",
        [(h.level, h.anchor) for h in ja.headings],
        [(h.level, h.anchor) for h in en.headings],
        heading_line,
    )
    compare(
        "internal links",
        [link.target for link in internal_links(ja)],
        [link.target for link in internal_links(en)],
        link_line,
    )
    return problems


def internal_links(page: Page) -> list[Link]:
    return [link for link in page.links if not re.match(r"[a-z]+:", link.target)]


def section_of(page: Page, anchor: str) -> tuple[Heading, list[Include]] | None:
    """The heading with ``anchor`` and the includes under it, up to the next heading."""
    for index, heading in enumerate(page.headings):
        if heading.anchor == anchor:
            end = next(
                (h.line for h in page.headings[index + 1 :]),
                len(page.lines) + 1,
            )
            return heading, [i for i in page.includes() if heading.line < i.line < end]
    return None


def orphan_problems(
    pages: dict[str, dict[str, Page]], examples: list[Path], root: Path = ROOT
) -> list[str]:
    """Every example is shown on a page (a notebook page may import it instead)."""
    included = {
        i.target for page in pages[LANGUAGES[0]].values() for i in page.includes()
    }
    notebook_text = "\n".join(
        "\n".join(page.lines)
        for language in LANGUAGES
        for page in pages[language].values()
        if page.path.suffix == ".py"
    )
    problems = []
    for path in examples:
        name = path.relative_to(root).as_posix()
        if name not in included and path.stem not in notebook_text:
            problems.append(
                f"{name}:1: no page includes this example; include it on the page whose "
                "claim it proves (both languages), or delete it."
            )
    return problems


def tables_in(page: Page, anchor: str) -> list[tuple[int, list[str]]]:
    """Rows (line, cells) of every table in the section of the heading ``anchor`` (up to
    the next heading), without their header and ``|---|`` lines: a section may hold one
    table, or one small table per row group (libraries.md#at-a-glance, one per library)."""
    found = section_of(page, anchor)
    if found is None:
        return []
    heading, _ = found
    end = next((h.line for h in page.headings if h.line > heading.line), None)
    rows = []
    table: list[tuple[int, list[str]]] = []
    for number in range(heading.line + 1, (end or len(page.lines) + 1)):
        line = page.lines[number - 1].strip()
        if line.startswith("|"):
            table.append(
                (number, [cell.strip() for cell in line.strip("|").split("|")])
            )
        elif table:
            rows += table[2:]  # skip the header and the |---| line
            table = []
    return rows + table[2:]


def notebook_anchors(page: Page) -> set[str]:
    """Heading ids of a notebook page (percent format): the English word in trailing
    parentheses, as the Japanese notebooks write them, else the heading's slug."""
    anchors = set()
    for line in page.lines:
        heading = re.match(r"^# #{1,6}\s+(.*?)\s*$", line)
        if heading:
            text = heading[1]
            explicit = re.search(r"\(([a-z0-9-]+)\)$", text)
            slug = re.sub(r"[\s]+", "-", re.sub(r"[^\w\s-]", "", text.lower())).strip(
                "-"
            )
            anchors.add(explicit[1] if explicit else slug)
    return anchors


# The proof marker of a comparison-table cell, per language: the cell's text is plain, and
# the marker is a short link after it, with an accessible name that says what it proves:
# ``止まる(恒等写像)[例](#ex-dropout){ aria-label="例: Dropout、model.eval()" }``.
PROOF_MARKERS = {"ja": "例", "en": "proof"}
_MARKER_ATTRS = re.compile(r"\{[^{}]*\}")
_ARIA_LABEL = re.compile(r'aria-label="(?P<label>[^"]*)"')


def language_of(page: Page) -> str:
    """``ja`` or ``en``: the folder under ``docs/`` that holds the page."""
    parts = page.path.parts
    for index, part in enumerate(parts[:-1]):
        if part == "docs" and parts[index + 1] in LANGUAGES:
            return parts[index + 1]
    return LANGUAGES[-1]


def table_link_problems(page: Page, anchor: str, pages: dict[str, Page]) -> list[str]:
    """In every table of the section #anchor, every cell after the first reads as plain
    text and ends its claim with proof
    markers: ``[例](target){ aria-label="例: ..." }`` (``proof`` in English), each linking
    to a heading whose section includes an example, or to a section of a notebook page
    (executed at build time). Marker labels are unique in the table."""
    problems = []
    rows = tables_in(page, anchor)
    if not rows:
        return [
            f"{page.name}: no table under #{anchor}; the comparison table is missing."
        ]
    marker = PROOF_MARKERS[language_of(page)]
    example = f'[{marker}](#ex-...){{ aria-label="{marker}: <row>, <column>" }}'
    labels: dict[str, int] = {}
    for number, cells in rows:
        for column, cell in enumerate(cells[1:], start=2):
            where = f"{page.name}:{number}: column {column}"
            links = list(_LINK.finditer(cell))
            if not links:
                problems.append(
                    f"{where} has no proof marker; end the cell with {example}, "
                    "linking the example that proves it."
                )
            text = cell
            for link in links:
                after = cell[link.end() :]
                attrs = _MARKER_ATTRS.match(after)
                label = _ARIA_LABEL.search(attrs[0]) if attrs else None
                if link["text"] != marker:
                    problems.append(
                        f"{where}: the link text '{link['text']}' is not the proof "
                        f"marker '{marker}'; write the cell as plain text and put the "
                        f"proof after it as {example}."
                    )
                elif label is None or not label["label"].startswith(f"{marker}:"):
                    problems.append(
                        f"{where}: the marker has no aria-label that starts with "
                        f"'{marker}:'; write it as {example}, so that a screen reader "
                        "says what it proves."
                    )
                elif label["label"] in labels:
                    problems.append(
                        f"{where}: the marker's aria-label '{label['label']}' is also "
                        f"used on line {labels[label['label']]}; name the row and the "
                        "column in it."
                    )
                else:
                    labels[label["label"]] = number
                if link["text"] == marker:
                    text = text.replace(link[0] + (attrs[0] if attrs else ""), "")
            if links and not re.sub(r"[\s、,()()]", "", text):
                problems.append(
                    f"{where}: the cell is only a marker; write what the proof shows "
                    "as plain text before it."
                )
            for link in links:
                target = link["target"]
                file, _, target_anchor = target.partition("#")
                other = pages.get(file or _page_key(page, pages))
                if other and other.path.suffix == ".py":
                    if target_anchor not in notebook_anchors(other):
                        problems.append(
                            f"{where} links to {target}, "
                            "but the notebook has no such heading."
                        )
                    continue
                found = section_of(other, target_anchor) if other else None
                if not found or not found[1]:
                    problems.append(
                        f"{where} links to {target}, which is "
                        "not a heading followed by an included example; point it at one."
                    )
    return problems


def _page_key(page: Page, pages: dict[str, Page]) -> str:
    return next(key for key, candidate in pages.items() if candidate is page)
