"""Japanese paragraphs without stray spaces: a line break between two Japanese characters
in the Markdown source is removed from the built page.

Markdown keeps a line break inside a paragraph, and a browser shows it as a space:
「〜答えます。 どれも」. Between two Japanese characters that space is wrong (Japanese
puts none between words), so this hook removes the break there, also when an inline tag
stands between them (「[リンク](x)\\nで」). Nothing changes inside ``<pre>``, ``<code>``,
``<script>``, ``<style>`` and ``<textarea>``, next to a character that is not Japanese
(「の\\n`model.eval()`」 keeps its space, as the house style wants), or where the source
wrote a space on one line (a break only: a space the author typed stays).

``stray_spaces(html)`` finds what is left; tests/test_build.py and tests/browser use it.
"""

from __future__ import annotations

import re

# Japanese letters and punctuation: kana, kanji, the CJK symbols and punctuation block
# (、。「」…), full-width forms ((),!?:), the middle dot and the prolonged sound mark.
JAPANESE = (
    r"\u3000-\u303f\u3041-\u3096\u3099-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uf900-\ufaff\uff01-\uff60\uff66-\uff9f"
)
_INLINE = (
    r"</?(?:a|abbr|b|cite|del|dfn|em|i|ins|kbd|mark|q|s|small|span|strong|sub|sup|u|var)"
    r"\b[^>]*>"
)
# A line break (and the indentation around it) between two Japanese characters, with
# inline tags on either side of it.
_BREAK = re.compile(
    rf"(?<=[{JAPANESE}])((?:{_INLINE})*)[ \t]*\n[ \t]*((?:{_INLINE})*)(?=[{JAPANESE}])"
)
# Where text is shown as written.
_VERBATIM = re.compile(
    r"<(pre|code|script|style|textarea)\b[^>]*>.*?</\1\s*>", re.DOTALL | re.IGNORECASE
)
_TAG = re.compile(r"<[^>]*>")
# Tags that end a line of text: the whitespace on their sides is not shown.
_BLOCK = re.compile(
    r"</?(?:address|article|aside|blockquote|br|caption|dd|details|div|dl|dt|figcaption"
    r"|figure|footer|h[1-6]|header|hr|input|label|li|nav|ol|p|section|summary|table"
    r"|tbody|td|tfoot|th|thead|tr|ul)\b[^>]*>",
    re.IGNORECASE,
)
_SPACE_BETWEEN = re.compile(rf"[{JAPANESE}][ \t\n]+[{JAPANESE}]")


def _outside_verbatim(html: str, change) -> str:
    out, last = [], 0
    for match in _VERBATIM.finditer(html):
        out.append(change(html[last : match.start()]))
        out.append(match.group())
        last = match.end()
    out.append(change(html[last:]))
    return "".join(out)


def join_lines(html: str) -> str:
    """``html`` without the line breaks between two Japanese characters (outside code)."""
    return _outside_verbatim(html, lambda part: _BREAK.sub(r"\1\2", part))


def stray_spaces(html: str) -> list[str]:
    """Each place where whitespace that came from a line break stands between two
    Japanese characters in the text of ``html`` (code left out), with its neighbours."""
    found = []

    def look(part: str) -> str:
        text = _TAG.sub("", _BLOCK.sub("\0", part))
        for match in _SPACE_BETWEEN.finditer(text):
            if "\n" in match.group():
                start, end = max(0, match.start() - 12), match.end() + 12
                found.append(re.sub(r"[\s\0]+", " ", text[start:end]).strip())
        return part

    _outside_verbatim(html, look)
    return found


def on_page_content(html, page, config, files):
    return join_lines(html)
