"""Where code in a table may wrap: a short name never, a long one only between its parts
(`torch.ao.quantization.` / `fuse_modules`, `fsdp2_unfreeze_` / `mixed_precision.py`).

Material lets inline code break anywhere (word-break: break-word), so a table column
shrinks until `from_pretrained` reads `from_pret` / `rained`; overrides/main.html turns
that off for code in tables. The browser itself then breaks code only at spaces, hyphens
and slashes, so a long name would widen its column and make the table scroll at 1280 px.
This hook puts a ``<wbr>`` (a break opportunity that adds no character: copied text is
unchanged, and it runs on the page as written out, after the search index has read it)
after each ``.``, ``(`` and ``_`` followed by a letter or digit, in each ``<code>`` of a
``<table>`` longer than SHORT characters. A name of SHORT characters or fewer
(`Trainer.evaluate`) moves to the next line whole. tests/browser/test_site.py
(test_no_table_code_breaks_inside_a_word) checks the result with the same rule.
"""

from __future__ import annotations

import html
import re

SHORT = 16  # a code span this long or shorter keeps its names whole
BREAK_AFTER = "._("  # where a longer one may wrap, before a letter or digit

_TABLE = re.compile(r"<table\b.*?</table\s*>", re.DOTALL | re.IGNORECASE)
_CODE = re.compile(r"(<code\b[^>]*>)(.*?)(</code\s*>)", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"(<[^>]*>)")
_BREAK = re.compile(rf"(?<=[{re.escape(BREAK_AFTER)}])(?=[A-Za-z0-9])")
_NAME = re.compile(r"[A-Za-z0-9]")


def break_points(page: str) -> str:
    """``page`` with ``<wbr>`` at the break points of each long code span in a table."""

    def code(match: re.Match) -> str:
        parts = _TAG.split(match[2])  # text at even indexes, tags at odd ones
        if len(html.unescape("".join(parts[::2]))) <= SHORT:
            return match[0]
        for i in range(0, len(parts), 2):
            following = next((t[0] for t in parts[i + 2 :: 2] if t), "")
            end = parts[i][-1:] in tuple(BREAK_AFTER) and _NAME.match(following)
            parts[i] = _BREAK.sub("<wbr>", parts[i]) + ("<wbr>" if end else "")
        return match[1] + "".join(parts) + match[3]

    return _TABLE.sub(lambda table: _CODE.sub(code, table[0]), page)


def on_post_page(output: str, page, config) -> str:
    return break_points(output)
