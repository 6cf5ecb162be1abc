"""The error message index, docs/<lang>/errors.md, checked against what the examples ran.

Every error or warning message an example shows is listed there, with the examples that
show it, and nothing else. What an example shows is taken from its run in the harness
(``support/caught.py``), not from the shape of its code:

1. *Raised*: an exception that an ``except`` clause of the example caught, an exception
   raised into the example's code in a process it started (a rank of the two-rank
   examples: the message comes back to the example as data), or a warning it got.
2. *Shown*: a ``print`` of the example wrote (part of) that message: the longest piece of
   the message, cut at word boundaries, that the printed text holds, if it is at least
   ``MIN_QUOTE`` characters long. So the message counts however it reached the print:
   returned from a function, kept in a dict, formatted into a longer line, wrapped with
   ``textwrap``; and a label printed before it is not part of it. What a print wrote is
   what the ``#>`` lines under it record (``tests/test_examples.py`` checks them).

Normalisation, on both sides: whitespace runs count as one space, and a line break right
after a '-' is dropped (textwrap.fill breaks "in-place" as "in-" / "place").
In a quote on the index, '…' stands for a part that varies (sizes, versions, numbers).

For a quote Q on the index and a shown message P:
- Q is *produced* by P when Q (with '…' matching anything) occurs in P.
- P is *indexed* by Q when Q is produced by P, or when P is a shortened print of Q: P
  occurs in a part of Q between two '…'.

The two-way check, for each example that ran: every message it shows is indexed by an
entry that lists it (an entry lists the examples included in the sections its
"Raised in" line links), and every entry that lists it is produced by one of the messages
it shows. The rest (labels, links, the length of a quote) needs no run.

A separate rule reads the code: an example that asserts on a caught message shows it
(``assert_without_print``), so that the index can quote it verbatim. What counts as the
message there, found with ``ast``: whatever is computed from a name bound by ``except ...
as name`` or ``catch_warnings(record=True) as name`` (``str(error)``, ``message.split()``,
a function returning it), not ``len(...)``, ``type(...)``, ``isinstance(...)``,
comparisons, ``.startswith(...)`` and the attributes ``.category``, ``.lineno``,
``.filename``, ``__name__``, ``__class__``.
"""

from __future__ import annotations

import ast
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from support.caught import Raised
from support.examples import (
    ROOT,
    ExampleRun,
    is_recording_warnings,
    print_calls,
    recorded_calls,
    relative,
)
from support.pages import (
    _ANCHOR,
    _LINK,
    Heading,
    Link,
    Page,
    _page_key,
    section_of,
)

# --- Messages shown by a run -------------------------------------------------------

_WILDCARD = "…"
MIN_QUOTE = 20  # characters of a quote outside its '…' parts, and of a shown message
ERRORS_PAGE = "errors.md"
# The two lines under each entry of the index, in each language: where the message is
# raised (links to the sections that include the examples) and what explains and fixes it.
ERROR_LABELS = {
    "ja": {"再現例": "examples", "原因と直し方": "fix"},
    "en": {"Raised in": "examples", "Cause and fix": "fix"},
}


@dataclass
class PrintedMessage:
    example: str  # examples/<topic>/<name>.py
    line: int  # the print call
    text: str  # the part of what it printed that is the message, normalised


def normalise_message(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"-\n\s*", "-", text.strip())).strip()


MIN_WORDS = (
    3  # a shown message has at least three words: not a name that a print echoes
)


def _shown_span(printed: str, message: str) -> tuple[int, int, str] | None:
    """Where in ``printed`` (both normalised) the longest piece of ``message`` that it
    holds stands, cut to whole words: (start, end, piece); None when the piece is
    shorter than ``MIN_QUOTE`` characters or ``MIN_WORDS`` words."""
    matcher = difflib.SequenceMatcher(None, printed, message, autojunk=False)
    match = matcher.find_longest_match(0, len(printed), 0, len(message))
    start, end = match.b, match.b + match.size

    def word_edge(index: int) -> bool:
        return (
            index in (0, len(message))
            or not message[index - 1].isalnum()
            or not message[index].isalnum()
        )

    while start < end and not word_edge(start):
        start += 1
    while end > start and not word_edge(end):
        end -= 1
    while start < end and message[start] == " ":
        start += 1
    while end > start and message[end - 1] == " ":
        end -= 1
    part = message[start:end]
    if len(part) < MIN_QUOTE or len(part.split()) < MIN_WORDS:
        return None
    offset = match.a - match.b
    return start + offset, end + offset, part


def shown_parts(printed: str, messages: list[str]) -> list[str]:
    """The pieces of ``messages`` that ``printed`` shows, longest first; a piece that
    lies inside the text of a longer one (two messages that share words) is not one."""
    printed = normalise_message(printed)
    spans = [
        span
        for message in dict.fromkeys(messages)
        if (span := _shown_span(printed, normalise_message(message)))
    ]
    kept: list[tuple[int, int, str]] = []
    for start, end, part in sorted(spans, key=lambda span: span[0] - span[1]):
        if not any(
            start < other_end and other_start < end
            for other_start, other_end, _ in kept
        ):
            kept.append((start, end, part))
    return [part for _, _, part in sorted(kept)]


def shown_messages(run: ExampleRun, root: Path = ROOT) -> list[PrintedMessage]:
    """The raised messages that the prints of ``run`` showed (see the module's doc)."""
    name = _name(run.path, root)
    messages = [raised.message for raised in run.raised]
    return [
        PrintedMessage(name, printed.line, part)
        for printed in run.printed
        for part in shown_parts(printed.text, messages)
    ]


def printed_texts(run: ExampleRun, root: Path = ROOT) -> list[PrintedMessage]:
    """Everything the prints of ``run`` wrote (normalised), message or not."""
    name = _name(run.path, root)
    return [
        PrintedMessage(name, p.line, normalise_message(p.text)) for p in run.printed
    ]


def recorded_texts(path: Path, root: Path = ROOT) -> list[PrintedMessage]:
    """What the file records under each print (normalised): each ``#>`` line and each
    triple-quoted block. ``tests/test_examples.py`` checks that this is what it prints."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = []
    for call in print_calls(source, path):
        for text in recorded_calls(lines, call.last_line):
            found.append(
                PrintedMessage(_name(path, root), call.line, normalise_message(text))
            )
    return found


def _name(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return relative(path)


def raised_but_not_shown(run: ExampleRun) -> list[Raised]:
    """What ``run`` raised or warned that none of its prints showed."""
    return [
        raised
        for raised in run.raised
        if not any(shown_parts(p.text, [raised.message]) for p in run.printed)
    ]


def _quote_pattern(quote: str) -> re.Pattern[str]:
    parts = [re.escape(part.strip()) for part in quote.split(_WILDCARD)]
    return re.compile(r"\s?.*?\s?".join(parts))


def quote_is_produced(quote: str, printed: str) -> bool:
    return bool(_quote_pattern(normalise_message(quote)).search(printed))


def message_is_indexed(printed: str, quote: str) -> bool:
    quote = normalise_message(quote)
    if quote_is_produced(quote, printed):
        return True
    return any(printed in part for part in quote.split(_WILDCARD))


# --- The index ------------------------------------------------------------------------


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


def shows_quote(text: str, quote: str) -> bool:
    """``text`` (a print's output) holds ``quote``, or a piece of it (a shortened print)."""
    quote = normalise_message(quote)
    if quote_is_produced(quote, text):
        return True
    text = normalise_message(text)
    return any(_shown_span(text, part.strip()) for part in quote.split(_WILDCARD))


def error_index_problems(
    page: Page,
    language: str,
    pages: dict[str, Page],
    recorded: list[PrintedMessage],
) -> list[str]:
    """What needs no run: labels and links, the length of each quote, and, from the
    output the examples record (``recorded_texts``), that each 'Raised in' link leads to
    a section with an example that prints the message, and that an example listed
    prints the whole quote."""
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
        for kind in ("examples", "fix"):
            if not entry.links[kind]:
                problems.append(
                    f"{where}: the entry `{entry.quote}` has no '{labels[kind]}:' line "
                    "with a link; add it under the entry, indented by 4 spaces."
                )
        for link in entry.links["fix"]:
            key, anchor = _resolve(page, link.target, pages)
            target = pages.get(key)
            if target is None or (anchor and section_of(target, anchor) is None):
                problems.append(
                    f"{page.name}:{link.line}: {link.target} is not a heading of a page; "
                    "link the section that explains the error and how to fix it."
                )
        listed: set[str] = set()
        for link in entry.links["examples"]:
            shown = set(_examples_of(link, page, pages))
            listed |= shown
            if not any(
                shows_quote(m.text, quoted) for m in recorded if m.example in shown
            ):
                problems.append(
                    f"{page.name}:{link.line}: {link.target} is not a section that "
                    f"includes an example printing `{entry.quote}`; link the heading "
                    "right above the code block of an example that prints it."
                )
        texts = [m for m in recorded if m.example in listed]
        if entry.links["examples"] and not any(
            quote_is_produced(quoted, m.text) for m in texts
        ):
            close = difflib.get_close_matches(quoted, [m.text for m in texts], 1, 0.5)
            hint = f" The closest it prints is `{close[0]}`." if close else ""
            problems.append(
                f"{where}: no example the entry lists prints `{entry.quote}`; quote the "
                "message exactly as the #> lines of an example it lists show it (write "
                "… for a part that varies), or remove the entry if no example raises it "
                f"any more.{hint}"
            )
    return problems


def _examples_of(link: Link, page: Page, pages: dict[str, Page]) -> list[str]:
    """The examples included in the section ``link`` leads to."""
    key, anchor = _resolve(page, link.target, pages)
    target = pages.get(key)
    section = section_of(target, anchor) if target and anchor else None
    return [include.target for include in section[1]] if section else []


def listed_examples(entry: ErrorEntry, page: Page, pages: dict[str, Page]) -> set[str]:
    """The examples an entry lists: those in the sections its 'Raised in' line links."""
    return {
        e for link in entry.links["examples"] for e in _examples_of(link, page, pages)
    }


def run_problems(
    page: Page,
    language: str,
    pages: dict[str, Page],
    example: str,
    shown: list[PrintedMessage],
    printed: list[PrintedMessage],
) -> list[str]:
    """The index against one run of ``example``: each message it showed (``shown``) is
    indexed by an entry that lists it, and what an entry listing it quotes from its
    output (``printed``) is a message it raised or warned in that run."""
    entries, _ = error_entries(page, language)
    labels = {kind: label for label, kind in ERROR_LABELS[language].items()}
    listing = [e for e in entries if example in listed_examples(e, page, pages)]
    problems = []
    reported: set[int] = set()
    for message in shown:
        indexing = [e for e in entries if message_is_indexed(message.text, e.quote)]
        if any(e in listing for e in indexing):
            continue
        add = _example_link(example, pages)
        if indexing:
            if indexing[0].line not in reported:
                reported.add(indexing[0].line)
                problems.append(
                    f"{page.name}:{indexing[0].line}: the entry `{indexing[0].quote}` "
                    f"does not link to {example}, which prints it ({example}:"
                    f"{message.line}); add {add} to its '{labels['examples']}:' line."
                )
            continue
        problems.append(
            f"{example}:{message.line}: prints the caught message `{message.text}`, but "
            f"{page.name} has no entry for it; add under the heading of the switch "
            "involved:\n"
            f"- `{message.text}`\n"
            f"    - {labels['examples']}: {add}\n"
            f"    - {labels['fix']}: [...](page.md#section-that-explains-it)\n"
            "(write … for a part of the message that varies, such as a size)."
        )
    for entry in listing:
        quoted = normalise_message(entry.quote)
        if any(message_is_indexed(m.text, quoted) for m in shown):
            continue
        for text in printed:
            if shows_quote(text.text, quoted):
                problems.append(
                    f"{example}:{text.line}: prints what the entry `{entry.quote}` "
                    f"({page.name}:{entry.line}) quotes, but no exception the example "
                    "caught and no warning it got in this run says it; print the "
                    "message of the caught error or warning itself (str(error), "
                    "str(caught[0].message)), not a copy of its text."
                )
                break
    return problems


def _example_link(example: str, pages: dict[str, Page]) -> str:
    sections = sections_including(example, pages)
    if sections:
        return _link_to(*sections[0], pages)
    return "(include the example on a page first)"


# --- An assert on a message that is never printed (read from the code) ---------------

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
                if is_recording_warnings(item) and item.optional_vars is not None:
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


def assert_without_print(path: Path, shown: list[PrintedMessage]) -> list[str]:
    """``path`` asserts on a caught message (found in its code) but its run showed no
    message (``shown``): the index could not quote it verbatim."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names, functions, captures = _message_names(tree)
    if not captures or shown:
        return []
    asserts = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Assert)
        and _uses(node.test, names, functions, strict=False)
    ]
    if not asserts:
        return []
    return [
        f"{relative(path)}:{min(asserts)}: asserts on a caught error or warning message "
        "but never prints it; add print(message) (its first line is enough) under the "
        "assert's capture and run `make update-examples`, so the #> output shows it "
        "verbatim and the error index (docs/*/errors.md) can quote it."
    ]
