"""hooks/search_index.py: the search index cut into words, the error index as entries.

The browser side (the query cut into the same words, in Chromium) is tested by
tests/browser (``make test-browser``); these are the build side's rules, without a build.
"""

from __future__ import annotations

import json
import re

import pytest
from mkdocs.exceptions import PluginError

from support.examples import ROOT
from support.hooks import load_hook

search = load_hook("search_index")
Z = search.ZWSP


def words_of(text: str) -> list[str]:
    """What the browser indexes: ``text`` split by the index's separator."""
    return [w for w in re.split(search.SEPARATOR, text) if w]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("学習モード", ["学習", "モード"]),
        ("メモリ使用量", ["メモリ", "使用", "量"]),
        ("層を凍結した", ["層", "を", "凍結", "し", "た"]),
        ("ファインチューニング", ["ファイン", "チューニング"]),
        # English and code keep their words; the Japanese around them is cut off them
        ("no_gradの推論", ["no_grad", "の", "推論"]),
        ("requires_grad=Falseで", ["requires_grad", "False", "で"]),
        ("model.eval() と", ["model", "eval", "と"]),
        ("2.13.0 で", ["2.13.0", "で"]),
        ("Can't call numpy()", ["Can", "t", "call", "numpy"]),
        ("「凍結」・解除", ["凍結", "解除"]),
    ],
)
def test_index_text_is_cut_into_words(text: str, expected: list[str]) -> None:
    assert words_of(search.segment_text(text)) == expected


def test_markup_is_kept_and_only_text_is_cut() -> None:
    # A tag ends a word already: the browser tokenizes the text between tags apart.
    value = "<p>学習モード<code>model.train()</code>です</p>"
    assert search.segment_markup(value) == (
        f"<p>学習{Z}モード<code>model.train()</code>です</p>"
    )


def test_no_cut_where_a_separator_is_already() -> None:
    assert search.segment_text("PyTorch 推論 です") == "PyTorch 推論 です"


ERRORS_HTML = """
<h1 id="top">Error message index</h1>
<p>Intro.</p>
<h2 id="grad-mode">Grad mode</h2>
<ul>
<li><code>element 0 of tensors does not require grad</code>
<ul>
<li>Raised in: <a href="a/#x">A › x</a></li>
<li>Cause and fix: <a href="b/#y">B › y</a></li>
</ul>
</li>
<li><code>element 0 of tensors does not require grad</code> (warning)
<ul><li>Cause and fix: <a href="c/">C</a></li></ul>
</li>
</ul>
<h2 id="verified">Verified with</h2>
<ul><li><code>not a message</code></li></ul>
"""


def test_each_message_gets_an_anchor_and_an_entry() -> None:
    html = search.mark_error_entries(ERRORS_HTML, "errors/")
    entries = search._entries["errors/"]
    assert [e["anchor"] for e in entries] == [
        "msg-element-0-of-tensors-does-not",
        "msg-element-0-of-tensors-does-not-" + entries[1]["anchor"][-6:],
    ]
    assert all(f'id="{e["anchor"]}"' in html for e in entries)
    assert (
        entries[0]["title"] == "<code>element 0 of tensors does not require grad</code>"
    )
    assert entries[1]["title"].endswith("</code> (warning)")
    assert entries[0]["text"] == "<p>Raised in: A › x</p> <p>Cause and fix: B › y</p>"
    # the #verified section lists versions, not messages
    assert "not a message" not in json.dumps(entries)


def test_entries_follow_their_section_and_leave_its_text() -> None:
    search.mark_error_entries(ERRORS_HTML, "errors/")
    section_text = (
        "<ul><li><code>element 0 of tensors does not require grad</code> "
        "<ul><li>Raised in: A › x</li></ul></li></ul>"
    )
    docs = [
        {
            "location": "errors/",
            "title": "Error message index",
            "text": "<p>Intro.</p>",
        },
        {"location": "errors/#grad-mode", "title": "Grad mode", "text": section_text},
        {"location": "errors/#verified", "title": "Verified with", "text": ""},
    ]
    out = search.add_error_entries(docs, search._entries)
    assert [d["location"] for d in out] == [
        "errors/",
        "errors/#grad-mode",
        "errors/#msg-element-0-of-tensors-does-not",
        out[3]["location"],
        "errors/#verified",
    ]
    assert out[1]["text"] == ""


def test_rewritten_index_config() -> None:
    data = {
        "config": {
            "lang": ["ja", "en"],
            "separator": "[\\s]+",
            "pipeline": ["stemmer", "stopWordFilter"],
            "fields": {},
        },
        "docs": [{"location": "", "title": "学習モード", "text": "<p>凍結する</p>"}],
    }
    out = search.rewrite_index(data, {})
    # the browser runs no segmenter (lang en) and no stemmer; stop words stay
    assert out["config"]["lang"] == ["en"]
    assert out["config"]["pipeline"] == ["stopWordFilter"]
    assert out["config"]["separator"] == search.SEPARATOR
    assert out["docs"][0]["title"] == f"学習{Z}モード"
    assert out["docs"][0]["text"] == f"<p>凍結{Z}する</p>"


def test_two_entries_at_one_address_fail_the_build() -> None:
    data = {
        "config": {"lang": ["ja"], "separator": "", "pipeline": [], "fields": {}},
        "docs": [
            {"location": "measure/", "title": "測定", "text": ""},
            {"location": "measure/", "title": "測定", "text": "<p>…</p>"},
        ],
    }
    with pytest.raises(PluginError, match="entries 0 and 1 are both at 'measure/'"):
        search.rewrite_index(data, {})


def test_the_worker_knows_the_same_japanese_letters() -> None:
    """The query is cut where the index was: overrides/…/search-ja.js must call the same
    characters Japanese as this hook (its JAPANESE is written with \\u escapes)."""
    worker = (ROOT / "overrides/assets/javascripts/workers/search-ja.js").read_text(
        encoding="utf-8"
    )
    declared = re.search(r"const JAPANESE =\s*((?:\"[^\"]*\"\s*\+?\s*)+)", worker)
    assert declared, 'search-ja.js: no `const JAPANESE = "…"`'
    in_worker = re.compile("[" + "".join(re.findall(r'"([^"]*)"', declared[1])) + "]")
    in_hook = re.compile(f"[{search.JAPANESE}]")
    differ = [
        f"U+{code:04X}"
        for code in range(0x3000, 0x10000)
        if bool(in_worker.match(chr(code))) != bool(in_hook.match(chr(code)))
    ]
    assert not differ, f"search-ja.js and hooks/search_index.py differ on {differ[:10]}"


def test_function_words_are_particles_and_light_verbs_only():
    # を, に and する are function words everywhere here; 評価, モード and the verb 切る
    # (which Sudachi also calls 非自立可能) name a topic and stay in a query.
    found = search.function_words(["モデルを評価モードにする", "<p>グラフを切る</p>"])
    assert {"を", "に", "する"} <= set(found)
    assert not {"モデル", "評価", "モード", "切る", "グラフ"} & set(found)
