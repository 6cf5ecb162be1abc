"""The search index, split into words the way the search box splits a query.

Material's search (9.8.1, lunr) builds its index in the browser. With ``lang: ja`` it cuts
Japanese text with TinySegmenter while indexing, but a query is only split at spaces
(plus an experimental greedy split of kanji runs): 「学習モード」 is looked up as the one
term ``学習モード*``, which no indexed word (``学習``, ``モード``) starts with, so a
compound finds nothing unless the reader types a space. This hook and the search worker
``overrides/assets/javascripts/workers/search-ja.js`` make both sides agree:

- Here, after Material's search plugin has written ``search/search_index.json``, every run
  of Japanese text in each entry's title and text is cut into words by a morphological
  analyser (SudachiPy, its core dictionary, mode A: the shortest units), and the words are
  joined with a zero-width space (U+200B), as Material itself does for Chinese with jieba.
  The index's ``separator`` splits there, so the browser indexes exactly these words; it
  runs no segmenter of its own (``lang`` is ``en``: TinySegmenter is not loaded).
- In the browser, the worker cuts each Japanese run of a query into words of the index's
  own vocabulary (the fewest words that cover it), so 「学習モード」 is searched as the two
  indexed words 学習 and モード, both required.

Also here:

- The error message index (``errors.md``): each message becomes its own search entry, at
  its own anchor (``#msg-…``, given to its list item here), titled by the message, so a
  pasted message finds its entry first. The entries leave their section's text.
- Two entries at one address (a heading with an empty id did that on the notebook page)
  fail the build: the worker would highlight that page's words twice, and break the markup.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import re
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag
from mkdocs.exceptions import PluginError

ZWSP = "\u200b"
# Where the index (and a query) is split: whitespace, U+200B, punctuation of both
# languages, a period that is not a decimal point, and the HTML escapes Material leaves in
# the text. Underscores stay: `requires_grad` is one word.
SEPARATOR = (
    r"[\s\u200b\-、。，．,:;!?？！：；()（）\[\]{}「」『』【】〈〉《》\"'`/=<>・…]+"
    r"|\.(?!\d)|&(?:lt|gt|amp|quot|#39);"
)
# Japanese letters: hiragana, katakana (without the middle dot ・, a separator) and the
# prolonged sound mark, kanji and their iteration marks, half-width katakana.
JAPANESE = (
    r"\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uf900-\ufaff\uff66-\uff9f々〆〇"
)
_RUN = re.compile(f"[{JAPANESE}]+")
_TAG = re.compile(r"(<[^>]*>)")
_SEPARATOR = re.compile(SEPARATOR)
ERRORS_PAGE = "errors.md"
ENTRY_PREFIX = "msg-"

# The entries of the error index of each built page: page url -> entries (see below).
_entries: dict[str, list[dict]] = {}


# ------------------------------------------------------------------ words


@functools.cache
def _tokenizer():
    from sudachipy import Dictionary, SplitMode

    return Dictionary(dict="core").tokenizer(mode=SplitMode.A)


# Parts of speech that carry no topic of their own: particles (を, に, は), auxiliary
# verbs (た, ない, です) and the light verbs する, いる, ある, なる, できる in any form (not
# the other verbs Sudachi calls 非自立可能: 切る, 忘れる name a topic). A query drops them
# (see function_words).
FUNCTION_POS = {("助詞",), ("助動詞",)}
LIGHT_VERBS = {"する", "いる", "ある", "なる", "できる"}


def _is_function(morpheme) -> bool:
    pos = morpheme.part_of_speech()
    if any(pos[: len(p)] == p for p in FUNCTION_POS):
        return True
    return pos[:2] == ("動詞", "非自立可能") and morpheme.dictionary_form() in LIGHT_VERBS


@functools.cache
def analyse(run: str) -> tuple[tuple[str, bool], ...]:
    """A run of Japanese letters cut into words (SudachiPy, mode A), each with whether it
    is a function word (FUNCTION_POS)."""
    found = tuple(
        (m.surface(), _is_function(m))
        for m in _tokenizer().tokenize(run)
    )
    if "".join(w for w, _ in found) != run:  # the analyser normalised something
        return ((run, False),)
    return found


def words(run: str) -> tuple[str, ...]:
    """A run of Japanese letters cut into words (SudachiPy, mode A)."""
    return tuple(word for word, _ in analyse(run))


def function_words(texts) -> list[str]:
    """The words of these texts that are only ever function words there: the search
    worker leaves them out of a query of several words, since each one (を, に, する)
    is in nearly every entry and, in a title, outweighs the words that name the topic
    (「モデルを評価モードにする」 found 「自分のモデルを診断する」 first)."""
    function, content = set(), set()
    for text in texts:
        for run in _RUN.findall(text):
            for word, is_function in analyse(run):
                (function if is_function else content).add(word)
    return sorted(function - content)


def _is_separator(char: str) -> bool:
    return bool(_SEPARATOR.fullmatch(char))


def segment_text(text: str) -> str:
    """``text`` (no markup) with U+200B between the words of each Japanese run and at its
    ends where no separator is there already."""
    out = []
    last = 0
    for match in _RUN.finditer(text):
        start, end = match.span()
        out.append(text[last:start])
        if start > 0 and not _is_separator(text[start - 1]):
            out.append(ZWSP)
        out.append(ZWSP.join(words(match.group())))
        if end < len(text) and not _is_separator(text[end]):
            out.append(ZWSP)
        last = end
    out.append(text[last:])
    return "".join(out)


def segment_markup(value: str) -> str:
    """The same for an index field, which keeps a few tags (<code>, <p>, <li>, …)."""
    return "".join(
        part if part.startswith("<") else segment_text(part)
        for part in _TAG.split(value)
    )


# ------------------------------------------------------------- error index


def entry_id(message: str, taken: set[str]) -> str:
    """A readable anchor for a message: its first words, then a short hash if taken."""
    slug = "-".join(re.findall(r"[a-z0-9]+", message.lower())[:6]) or "message"
    anchor = ENTRY_PREFIX + slug
    if anchor in taken:
        digest = hashlib.sha1(message.encode("utf-8")).hexdigest()[:6]
        anchor = f"{anchor}-{digest}"
    taken.add(anchor)
    return anchor


def _plain(text: str) -> str:
    return html.escape(re.sub(r"\s+", " ", text).strip(), quote=False)


def _own_markup(item: Tag) -> str:
    """A list item's markup without its nested lists, as the index keeps it."""
    parts = []
    for child in item.children:
        if isinstance(child, Tag) and child.name in ("ul", "ol"):
            continue
        if isinstance(child, Tag) and child.name == "code":
            parts.append(f"<code>{html.escape(child.get_text(), quote=False)}</code>")
        elif isinstance(child, (Tag, NavigableString)):
            parts.append(html.escape(child.get_text(), quote=False))
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def mark_error_entries(content: str, page_url: str) -> str:
    """Give each message of the error index an anchor, and remember it for the index.

    An entry is a top-level list item, under a ``##`` section, that starts with a code
    span (tests/support/pages.py reads the Markdown the same way)."""
    soup = BeautifulSoup(content, "html.parser")
    taken = {tag["id"] for tag in soup.find_all(id=True)}
    entries = []
    section = None
    for element in soup.find_all(["h2", "ul"]):
        if element.name == "h2":
            section = element.get("id")
            continue
        if element.find_parent(["ul", "ol"]) is not None or section in (
            None,
            "verified",
        ):
            continue
        for item in element.find_all("li", recursive=False):
            first = next(
                (
                    c
                    for c in item.children
                    if not (isinstance(c, str) and not c.strip())
                ),
                None,
            )
            if not (isinstance(first, Tag) and first.name == "code"):
                continue
            anchor = entry_id(first.get_text(), taken)
            item["id"] = anchor
            details = [
                f"<p>{_plain(sub.get_text())}</p>"
                for nested in item.find_all(["ul", "ol"], recursive=False)
                for sub in nested.find_all("li", recursive=False)
            ]
            entries.append(
                {
                    "section": section,
                    "anchor": anchor,
                    "message": first.get_text(),
                    "title": _own_markup(item),
                    "text": " ".join(details),
                }
            )
    _entries[page_url] = entries
    return str(soup)


def _without_entries(text: str, messages: set[str]) -> str:
    """A section's indexed text without the list items of its messages."""
    soup = BeautifulSoup(text, "html.parser")
    for item in soup.find_all("li"):
        code = item.find("code")
        top_level = item.find_parent("li") is None
        if top_level and code is not None and code.get_text() in messages:
            item.decompose()
    for empty in soup.find_all(["ul", "ol"]):
        if not empty.get_text(strip=True):
            empty.decompose()
    return re.sub(r"\s+", " ", str(soup)).strip()


def add_error_entries(docs: list[dict], entries: dict[str, list[dict]]) -> list[dict]:
    """Each message its own entry, right after the section it is listed in."""
    out = []
    for doc in docs:
        page, _, anchor = doc["location"].partition("#")
        mine = [e for e in entries.get(page, []) if e["section"] == anchor]
        if mine:
            doc = {
                **doc,
                "text": _without_entries(doc["text"], {e["message"] for e in mine}),
            }
        out.append(doc)
        out += [
            {
                "location": f"{page}#{e['anchor']}",
                "title": e["title"],
                "text": e["text"],
            }
            for e in mine
        ]
    return out


# ------------------------------------------------------------------- the index


def duplicate_problems(docs: list[dict]) -> list[str]:
    seen: dict[str, int] = {}
    problems = []
    for number, doc in enumerate(docs):
        location = doc["location"]
        if location in seen:
            problems.append(
                f"search/search_index.json: entries {seen[location]} and {number} are both "
                f"at '{location}' (a heading with an empty id?): give every heading an id, "
                "or none"
            )
        seen.setdefault(location, number)
    return problems


def rewrite_index(data: dict, entries: dict[str, list[dict]]) -> dict:
    docs = add_error_entries(data["docs"], entries)
    problems = duplicate_problems(docs)
    if problems:
        raise PluginError("\n".join(problems))
    texts = [
        doc[field]
        for doc in docs
        for field in ("title", "text")
        if isinstance(doc.get(field), str)
    ]
    for doc in docs:
        for field in ("title", "text"):
            if isinstance(doc.get(field), str):
                doc[field] = segment_markup(doc[field])
    config = {
        **data["config"],
        # No segmenter in the browser: the words are cut here (see the module docstring).
        "lang": ["en"],
        "separator": SEPARATOR,
        # Read by the search worker (search-ja.js), which leaves them out of a query.
        "function_words": function_words(texts),
        # Neither lunr's trimmer (it strips every letter outside ASCII) nor its English
        # stemmer: a query term ends in a wildcard, and lunr does not stem one, so
        # "numpy*" would never reach the stemmed "numpi". Stop words stay as the
        # theme's language sets them.
        "pipeline": [
            step for step in data["config"]["pipeline"] if step == "stopWordFilter"
        ],
    }
    return {**data, "config": config, "docs": docs}


# ------------------------------------------------------------------ the hooks


def on_pre_build(config) -> None:
    _entries.clear()


def on_page_content(html_content: str, page, config, files) -> str:
    if page.file.src_uri == ERRORS_PAGE:
        return mark_error_entries(html_content, page.url)
    return html_content


def on_post_build(config) -> None:
    path = Path(config["site_dir"]) / "search" / "search_index.json"
    if not path.is_file():  # search is off
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(
        json.dumps(
            rewrite_index(data, _entries), ensure_ascii=False, separators=(",", ":")
        ),
        encoding="utf-8",
    )
