"""Reading the site's pages: code fences, includes, headings and links, with line numbers.

Every problem is reported as ``docs/<lang>/<page>:<line>: <what is wrong>; <how to fix it>``.
"""

from __future__ import annotations

import ast
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from pytest_examples.run_code import expr_last_line

from support.examples import ROOT, relative

DOCS_DIR = ROOT / "docs"
LANGUAGES = ("ja", "en")  # the first one is the site's root
PAGE_SUFFIXES = (".md", ".py")  # .py pages are notebooks (mkdocs-jupyter)

_FENCE_OPEN = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})\s*(?P<info>.*)$")
_INCLUDE = re.compile(r'^--8<-- "(?P<target>[^":]+)(?::(?P<section>[\w-]+))?"$')
_TITLE = re.compile(r'title="(?P<title>[^"]*)"')
_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*$")
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
        if heading.anchor is None:
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


def table_after(page: Page, anchor: str) -> list[tuple[int, list[str]]]:
    """Rows (line, cells) of the first table after the heading ``anchor``, without the header."""
    found = section_of(page, anchor)
    if found is None:
        return []
    heading, _ = found
    rows = []
    for number in range(heading.line + 1, len(page.lines) + 1):
        line = page.lines[number - 1].strip()
        if line.startswith("|"):
            rows.append((number, [cell.strip() for cell in line.strip("|").split("|")]))
        elif rows:
            break
    return rows[2:]  # skip the header and the |---| line


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
    """Every cell after the first reads as plain text and ends its claim with proof
    markers: ``[例](target){ aria-label="例: ..." }`` (``proof`` in English), each linking
    to a heading whose section includes an example, or to a section of a notebook page
    (executed at build time). Marker labels are unique in the table."""
    problems = []
    rows = table_after(page, anchor)
    if not rows:
        return [
            f"{page.name}: no table after #{anchor}; the comparison table is missing."
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


# --- The error message index (docs/<lang>/errors.md) -------------------------------------
#
# What counts as "an example raises and asserts a message" (found with ``ast``, not by
# running anything):
#
# 1. A *capture*: ``except SomeError as error:`` (any handler that binds a name), or
#    ``with warnings.catch_warnings(record=True) as caught:``.
# 2. Whatever is computed from a captured name is *the message* too: ``message =
#    str(error)``, ``str(caught[0].message)``, ``message.split(":")[0]``,
#    ``textwrap.fill(message)``, and a function that ``return``s it (``error_of(...)``).
#    Not the message: ``len(...)``, ``type(...)``, ``isinstance(...)``, ``bool(...)``,
#    comparisons, ``.startswith(...)``/``.endswith(...)``, and the attributes
#    ``.category``, ``.lineno``, ``.filename``, ``__name__``, ``__class__``.
# 3. A ``print(...)`` whose arguments use the message *shows* it. What it showed is the
#    ``#>`` output recorded under that print (a ``#>`` line, or a triple-quoted block for
#    long output, one per call); tests/test_examples.py proves those lines are what the
#    example really printed, on every device. That recorded text is the message the index
#    must quote.
# 4. An example that captures a message and ``assert``s on it but never prints it is a
#    problem: the index could not quote it verbatim.
#
# Normalisation, on both sides: whitespace runs count as one space, and a line break right
# after a '-' is dropped (textwrap.fill breaks "in-place" as "in-" / "place").
# In a quote on the index, '…' stands for a part that varies (sizes, versions, numbers).
#
# Matching, for a quote Q on the index and a printed message P:
# - Q is *produced* when Q (with '…' matching anything) occurs in some P.
# - P is *indexed* by Q when Q occurs in P, or when P is a shortened print of Q: a tail of
#   P that starts at a word (P itself, or a tail after a label such as "Linear forward:",
#   at least 20 characters long) is the start of Q's text before its first '…'.

_MESSAGE_NOT_CALLS = {
    "len",
    "type",
    "isinstance",
    "issubclass",
    "bool",
    "id",
    "hasattr",
}
_MESSAGE_NOT_METHODS = {"startswith", "endswith", "count", "find", "index", "rfind"}
_MESSAGE_NOT_ATTRIBUTES = {"category", "lineno", "filename", "__name__", "__class__"}
_WILDCARD = "…"
MIN_QUOTE = 20  # characters of a quote outside its '…' parts
ERRORS_PAGE = "errors.md"
# The two lines under each entry of the index, in each language: where the message is
# raised (links to the sections that include the examples) and what explains and fixes it.
ERROR_LABELS = {
    "ja": {"出る例": "examples", "原因と直し方": "fix"},
    "en": {"Raised in": "examples", "Cause and fix": "fix"},
}


@dataclass
class PrintedMessage:
    example: str  # examples/<topic>/<name>.py
    line: int  # the print call
    text: str  # what one call printed, normalised


def normalise_message(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"-\n\s*", "-", text.strip())).strip()


def _is_catch_warnings_record(item: ast.withitem) -> bool:
    call = item.context_expr
    if not isinstance(call, ast.Call):
        return False
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    return name == "catch_warnings" and any(
        keyword.arg == "record"
        and isinstance(keyword.value, ast.Constant)
        and keyword.value.value
        for keyword in call.keywords
    )


def _uses(node: ast.AST, names: set[str], functions: set[str], strict: bool) -> bool:
    """Whether ``node`` uses a captured name or a function returning one. ``strict``
    leaves out what is not the message itself (lengths, types, comparisons, ...)."""
    if isinstance(node, ast.Name):
        return node.id in names
    if strict:
        if isinstance(node, (ast.Compare, ast.BoolOp, ast.Lambda)):
            return False
        if isinstance(node, ast.Attribute) and node.attr in _MESSAGE_NOT_ATTRIBUTES:
            return False
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in _MESSAGE_NOT_CALLS:
                return False
            if isinstance(func, ast.Attribute) and func.attr in _MESSAGE_NOT_METHODS:
                return False
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in functions
    ):
        return True
    return any(
        _uses(child, names, functions, strict) for child in ast.iter_child_nodes(node)
    )


def _returns_message(value: ast.AST, names: set[str], functions: set[str]) -> bool:
    """A function returns a message when it returns one, or a tuple holding one. A dict
    of results (``{"error": error, "grads": ...}``) does not make every value a message."""
    if isinstance(value, ast.Dict):
        return False
    return _uses(value, names, functions, strict=True)


def _unpacked_message_targets(
    target: ast.AST, value: ast.AST, names: set[str], functions: set[str]
) -> ast.AST:
    """In ``a, b = f(x)`` where ``f`` returns ``(flag, message)``, only ``b`` holds a
    message: the targets at the positions whose returned element uses one."""
    if not isinstance(target, ast.Tuple) or not isinstance(value, ast.Call):
        return target
    func = value.func
    returned = _RETURNED_TUPLES.get(func.id) if isinstance(func, ast.Name) else None
    if returned is None or len(returned.elts) != len(target.elts):
        return target
    kept = [
        element
        for element, produced in zip(target.elts, returned.elts, strict=True)
        if _uses(produced, names, functions, strict=True)
    ]
    return ast.Tuple(elts=kept, ctx=ast.Store())


_RETURNED_TUPLES: dict[str, ast.Tuple] = {}


def _stored_names(target: ast.AST) -> set[str]:
    """The names an assignment to ``target`` binds: in ``errors[key] = message`` that is
    ``errors``, not ``key``."""
    if isinstance(target, (ast.Subscript, ast.Attribute, ast.Starred)):
        return _stored_names(target.value)
    if isinstance(target, (ast.Tuple, ast.List)):
        return set().union(*(_stored_names(element) for element in target.elts))
    return {target.id} if isinstance(target, ast.Name) else set()


def _message_names(tree: ast.AST) -> tuple[set[str], set[str], list[int]]:
    """Names holding a captured message (or the error / the warnings), functions returning
    one, and the lines of the captures."""
    names: set[str] = set()
    functions: set[str] = set()
    captures: list[int] = []
    _RETURNED_TUPLES.clear()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            returns = [
                inner.value
                for inner in ast.walk(node)
                if isinstance(inner, ast.Return) and inner.value is not None
            ]
            if len(returns) == 1 and isinstance(returns[0], ast.Tuple):
                _RETURNED_TUPLES[node.name] = returns[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
            captures.append(node.lineno)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if _is_catch_warnings_record(item) and item.optional_vars is not None:
                    names |= _stored_names(item.optional_vars)
                    captures.append(node.lineno)
    changed = bool(names)
    while changed:
        changed = False
        before = (len(names), len(functions))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = (
                    node.targets if isinstance(node, ast.Assign) else [node.target]
                )
                if node.value is not None and _uses(
                    node.value, names, functions, strict=True
                ):
                    for target in targets:
                        names |= _stored_names(
                            _unpacked_message_targets(
                                target, node.value, names, functions
                            )
                        )
            elif isinstance(node, ast.NamedExpr):
                if _uses(node.value, names, functions, strict=True):
                    names.add(node.target.id)
            elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
                if _uses(node.iter, names, functions, strict=True):
                    names |= _stored_names(node.target)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
                isinstance(inner, (ast.Return, ast.Yield))
                and inner.value is not None
                and _returns_message(inner.value, names, functions)
                for inner in ast.walk(node)
            ):
                functions.add(node.name)
        changed = (len(names), len(functions)) != before
    return names, functions, captures


def _recorded_outputs(lines: list[str], after: int) -> list[str]:
    """The outputs recorded under a print whose call ends on line ``after`` (1-based):
    each ``#>`` line, and each triple-quoted block, is what one call printed."""
    outputs, index = [], after
    while index < len(lines):
        stripped = lines[index].strip()
        if stripped == "#>" or stripped.startswith("#> "):
            outputs.append(stripped[3:])
            index += 1
        elif stripped in ('"""', "'''"):
            end = next(
                (
                    j
                    for j in range(index + 1, len(lines))
                    if lines[j].strip() == stripped
                ),
                len(lines),
            )
            outputs.append("\n".join(line.strip() for line in lines[index + 1 : end]))
            index = end + 1
        else:
            break
    return outputs


def printed_messages(
    path: Path, root: Path = ROOT
) -> tuple[list[PrintedMessage], list[str]]:
    """The caught error and warning messages that ``path`` prints (with their recorded
    ``#>`` output), and problems: a message asserted on but never printed. Files are
    named relative to ``root``, as pages include them."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    names, functions, captures = _message_names(tree)
    if not captures:
        return [], []
    lines = source.splitlines()
    try:
        name = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        name = relative(path)
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "print"
            and any(_uses(arg, names, functions, strict=True) for arg in node.args)
        ):
            outputs = _recorded_outputs(lines, expr_last_line(node))
            found += [
                PrintedMessage(name, node.lineno, normalise_message(text))
                for text in outputs
            ]
    problems = []
    if not found:
        asserts = [
            node.lineno
            for node in ast.walk(tree)
            if isinstance(node, ast.Assert)
            and _uses(node.test, names, functions, strict=False)
        ]
        if asserts:
            problems.append(
                f"{name}:{min(asserts)}: asserts on a caught error or warning message "
                "but never prints it; add print(message) (its first line is enough) "
                "under the assert's capture and run `make update-examples`, so the #> "
                "output shows it verbatim and the error index (docs/*/errors.md) can "
                "quote it."
            )
    found.sort(key=lambda message: message.line)
    return found, problems


def _quote_pattern(quote: str) -> re.Pattern[str]:
    parts = [re.escape(part.strip()) for part in quote.split(_WILDCARD)]
    return re.compile(r"\s?.*?\s?".join(parts))


def quote_is_produced(quote: str, printed: str) -> bool:
    return bool(_quote_pattern(normalise_message(quote)).search(printed))


def message_is_indexed(printed: str, quote: str) -> bool:
    quote = normalise_message(quote)
    if quote_is_produced(quote, printed):
        return True
    head = quote.split(_WILDCARD)[0].strip()
    starts = [0] + [m.end() for m in re.finditer(r" ", printed)]
    return any(
        head.startswith(printed[start:])
        and (start == 0 or len(printed) - start >= MIN_QUOTE)
        for start in starts
    )


@dataclass
class ErrorEntry:
    line: int
    quote: str
    links: dict[str, list[Link]]  # "examples" / "fix" -> links


_ENTRY = re.compile(r"^- (?P<ticks>`+)(?P<quote>.+?)(?P=ticks)(?!`)")
_ENTRY_LINE = re.compile(r"^\s{2,}- (?P<label>[^:：]+)[:：]\s*(?P<rest>.*)$")


def _code_span(text: str) -> str:
    if text.startswith(" ") and text.endswith(" ") and text.strip():
        return text[1:-1]
    return text


def error_entries(page: Page, language: str) -> tuple[list[ErrorEntry], list[str]]:
    """The entries of the index: under each ``##`` heading (a switch; not #verified), a
    list item that starts with a code span (the message), with an indented line per label
    of ``ERROR_LABELS[language]`` holding links. Text above the first ``##`` is prose."""
    labels = ERROR_LABELS[language]
    entries: list[ErrorEntry] = []
    problems = []
    current: ErrorEntry | None = None
    headings = {h.line: h for h in page.headings}
    in_group = False
    for number, line in enumerate(page.lines, start=1):
        if number in headings:
            heading, current = headings[number], None
            if heading.level <= 2:
                in_group = heading.level == 2 and heading.anchor != "verified"
            continue
        entry = _ENTRY.match(line) if in_group else None
        if entry:
            current = ErrorEntry(
                number,
                _code_span(entry["quote"]),
                {kind: [] for kind in labels.values()},
            )
            entries.append(current)
            continue
        sub = _ENTRY_LINE.match(line)
        if current is not None and sub:
            kind = labels.get(sub["label"].strip())
            if kind is None:
                problems.append(
                    f"{page.name}:{number}: unknown label '{sub['label'].strip()}' under "
                    f"an error message; use one of: {', '.join(labels)}."
                )
                continue
            current.links[kind] += [
                Link(number, m["text"], m["target"])
                for m in _LINK.finditer(sub["rest"])
            ]
        elif line.strip() and not line.startswith(" "):
            current = None
    return entries, problems


def _resolve(page: Page, target: str, pages: dict[str, Page]) -> tuple[str, str]:
    file, _, anchor = target.partition("#")
    return (file or _page_key(page, pages)), anchor


def sections_including(
    example: str, pages: dict[str, Page]
) -> list[tuple[str, Heading]]:
    """``(page key, heading)`` of every section (up to the next heading) that includes
    ``example``, in page order."""
    found = []
    for key, page in pages.items():
        for heading in page.headings:
            if heading.anchor:
                section = section_of(page, heading.anchor)
                if section and any(i.target == example for i in section[1]):
                    found.append((key, heading))
    return found


def _heading_title(heading: Heading) -> str:
    return _ANCHOR.sub("", heading.text).strip()


def _link_to(key: str, heading: Heading, pages: dict[str, Page]) -> str:
    """A link to ``heading`` named like the index names them: ``page › heading``."""
    top = pages[key].headings[0] if pages[key].headings else None
    title = _heading_title(heading)
    if top is not None and top is not heading:
        title = f"{_heading_title(top).replace('`', '')} › {title}"
    return f"[{title}]({key}#{heading.anchor})"


def error_index_problems(
    page: Page,
    language: str,
    pages: dict[str, Page],
    messages: list[PrintedMessage],
) -> list[str]:
    """The index quotes exactly the messages that examples print, both ways, and links
    each to the sections that include its examples and to a section that explains it."""
    entries, problems = error_entries(page, language)
    labels = {kind: label for label, kind in ERROR_LABELS[language].items()}
    if not entries:
        problems.append(
            f"{page.name}:1: no entries; write each message as a list item `- `message``"
            f" followed by the lines '    - {labels['examples']}: [...](page.md#ex-...)'"
            f" and '    - {labels['fix']}: [...](page.md#...)'."
        )
    for entry in entries:
        where = f"{page.name}:{entry.line}"
        quoted = normalise_message(entry.quote)
        if len(quoted.replace(_WILDCARD, "").strip()) < MIN_QUOTE:
            problems.append(
                f"{where}: the quote `{entry.quote}` is too short to identify a message; "
                f"quote at least {MIN_QUOTE} characters of it."
            )
        producers = [m for m in messages if quote_is_produced(quoted, m.text)]
        if not producers:
            printed = {m.text: m for m in messages}
            close = difflib.get_close_matches(quoted, list(printed), n=1, cutoff=0.5)
            hint = (
                f" The closest printed message is {printed[close[0]].example}:"
                f"{printed[close[0]].line}: `{close[0]}`."
                if close
                else ""
            )
            problems.append(
                f"{where}: no example prints `{entry.quote}`; quote the message exactly "
                "as the #> lines of the example that raises it show it (write … for a "
                "part that varies), or remove the entry if no example raises it any "
                f"more.{hint}"
            )
        for kind in ("examples", "fix"):
            if not entry.links[kind]:
                problems.append(
                    f"{where}: the entry `{entry.quote}` has no '{labels[kind]}:' line "
                    "with a link; add it under the entry, indented by 4 spaces."
                )
        indexed = [m for m in messages if message_is_indexed(m.text, quoted)]
        linked: set[str] = set()
        for link in entry.links["examples"]:
            key, anchor = _resolve(page, link.target, pages)
            target = pages.get(key)
            section = section_of(target, anchor) if target and anchor else None
            shown = {i.target for i in section[1]} if section else set()
            if not shown & {m.example for m in indexed}:
                problems.append(
                    f"{page.name}:{link.line}: {link.target} is not a section that "
                    f"includes an example printing `{entry.quote}`; link the heading "
                    "right above the example's code block."
                )
            linked |= shown
        for link in entry.links["fix"]:
            key, anchor = _resolve(page, link.target, pages)
            target = pages.get(key)
            if target is None or (anchor and section_of(target, anchor) is None):
                problems.append(
                    f"{page.name}:{link.line}: {link.target} is not a heading of a page; "
                    "link the section that explains the error and how to fix it."
                )
        for example in sorted({m.example for m in indexed} - linked):
            first = next(m for m in indexed if m.example == example)
            if any(
                message_is_indexed(first.text, normalise_message(other.quote))
                and example in _shown_by(other, page, pages)
                for other in entries
                if other is not entry
            ):
                continue  # another entry for this message links it
            sections = sections_including(example, pages)
            add = (
                _link_to(*sections[0], pages)
                if sections
                else "(include the example on a page first)"
            )
            problems.append(
                f"{where}: the entry `{entry.quote}` does not link to {example}, which "
                f"prints it ({example}:{first.line}); add {add} to its "
                f"'{labels['examples']}:' line."
            )
    for message in messages:
        if any(message_is_indexed(message.text, e.quote) for e in entries):
            continue
        sections = sections_including(message.example, pages)
        example_link = (
            _link_to(*sections[0], pages)
            if sections
            else "(include the example on a page first)"
        )
        problems.append(
            f"{message.example}:{message.line}: prints the caught message "
            f"`{message.text}`, but {page.name} has no entry for it; add under the "
            "heading of the switch involved:\n"
            f"- `{message.text}`\n"
            f"    - {labels['examples']}: {example_link}\n"
            f"    - {labels['fix']}: [...](page.md#section-that-explains-it)\n"
            "(write … for a part of the message that varies, such as a size, and leave "
            "out a label that the print puts before the message)."
        )
    return problems


def _shown_by(entry: ErrorEntry, page: Page, pages: dict[str, Page]) -> set[str]:
    shown: set[str] = set()
    for link in entry.links["examples"]:
        key, anchor = _resolve(page, link.target, pages)
        target = pages.get(key)
        section = section_of(target, anchor) if target and anchor else None
        if section:
            shown |= {i.target for i in section[1]}
    return shown
