"""The Japanese pages keep the style guide's terms and full-width brackets.

docs/STYLE-ja.md lists the term variants that must not come back; tools/ja_terms.tsv holds
them in machine-readable form. tools/ja_punctuation.py finds ASCII ( ) ? in Japanese prose.
Both look at prose only: code, link targets, attribute lists and URLs are skipped.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from dataclasses import replace
from pathlib import Path

import pytest

from support.examples import ROOT

PAGES = sorted((ROOT / "docs/ja").glob("*.md")) + sorted(
    (ROOT / "docs/ja").glob("*.py")
)


def tool(name: str) -> types.ModuleType:
    """tools/<name>.py, imported once."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / f"tools/{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


ja_punctuation = tool("ja_punctuation")
ja_terms = tool("ja_terms")
TERMS = ja_terms.load()


def shown(path: Path) -> Path:
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def term_problems(path: Path) -> list[str]:
    """A banned variant in the prose of ``path``, with the term to write instead."""
    return [str(replace(hit, path=shown(path))) for hit in ja_terms.find(path, TERMS)]


def bracket_problems(path: Path) -> list[str]:
    """A line whose prose has ASCII ( ) ? where Japanese wants full-width ones."""
    old, new = ja_punctuation.convert(path)
    return [
        f"{shown(path)}:{number}: ASCII bracket or ? in Japanese prose; run "
        f"`python tools/ja_punctuation.py --fix {shown(path)}`, which makes it: "
        f"{b.strip()}"
        for number, (a, b) in enumerate(
            zip(old.split("\n"), new.split("\n"), strict=True), start=1
        )
        if a != b
    ]


def fail_on(problems: list[str]) -> None:
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_no_banned_term_variants(page: Path) -> None:
    fail_on(term_problems(page))


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_full_width_brackets_in_prose(page: Path) -> None:
    fail_on(bracket_problems(page))


# Planted cases: the checks above fail on a bad page, and only on its prose.

PLANTED_PAGE = """\
# 例のページ { #top }

モデルを eval モードにしてから、順伝播させます。
`"eval モード"` はコードなので対象外です。[リンク](eval-モード.md)の先も対象外です。

```python
x = 1  # eval モード (in code)
```

勾配（gradient）は伝わります(例外もあります)。
"""


def test_planted_term_is_named_with_its_line_and_the_term_to_write(tmp_path: Path):
    page = tmp_path / "planted.md"
    page.write_text(PLANTED_PAGE, encoding="utf-8")
    row = next(term.line for term in TERMS if term.never.pattern == "eval モード")
    assert term_problems(page) == [
        f"{page}:3: 「eval モード」 is a banned variant; write 評価モード "
        f"(docs/STYLE-ja.md; tools/ja_terms.tsv:{row})"
    ]


def test_planted_ascii_bracket_is_named_with_its_line(tmp_path: Path):
    page = tmp_path / "planted.md"
    page.write_text(PLANTED_PAGE, encoding="utf-8")
    assert bracket_problems(page) == [
        f"{page}:10: ASCII bracket or ? in Japanese prose; run "
        f"`python tools/ja_punctuation.py --fix {page}`, which makes it: "
        "勾配（gradient）は伝わります（例外もあります）。"
    ]


def test_planted_notebook_is_read_in_markdown_cells_only(tmp_path: Path):
    notebook = tmp_path / "planted.py"
    notebook.write_text(
        "# %% [markdown]\n"
        "# ## 速度 (latency)\n"
        "# フォワードの時間(ミリ秒)を測ります。\n"
        "\n"
        "# %%\n"
        "# フォワード (a code comment)\n"
        'print("eval モード")\n',
        encoding="utf-8",
    )
    hits = ja_terms.find(notebook, TERMS)
    assert [(hit.line, hit.found) for hit in hits] == [(3, "フォワード")]
    assert "順伝播" in str(hits[0])
    old, new = ja_punctuation.convert(notebook)
    assert new.split("\n")[1:3] == [
        "# ## 速度 (latency)",
        "# フォワードの時間（ミリ秒）を測ります。",
    ]


def test_the_term_table_names_a_bad_row(tmp_path: Path):
    table = tmp_path / "terms.tsv"
    header = "# a comment\nnever\twrite\texample\n"
    bad_rows = {
        "eval モード\t評価モード": "write a row as three tab-separated cells",
        "(eval\t評価モード\t(eval": "'(eval' is not a regular expression",
        "eval モード\t評価モード\teval mode": "does not match its example 'eval mode'",
    }
    for row, message in bad_rows.items():
        table.write_text(header + row + "\n", encoding="utf-8")
        with pytest.raises(ValueError) as error:
            ja_terms.load(table)
        assert str(error.value).startswith(f"{table}:3: "), error.value
        assert message in str(error.value), error.value


def test_no_term_row_bans_what_another_row_asks_for():
    for term in TERMS:
        for other in TERMS:
            assert not term.never.search(other.write), (
                f"{term.table}:{term.line}: {term.never.pattern!r} bans "
                f"{other.write!r}, which line {other.line} asks for"
            )


# Words the site uses on purpose next to the banned ones: the patterns leave them alone.
ALLOWED = [
    "よくある落とし穴",
    "見落としやすい",
    "要素の値",
    "埋め込みを凍結したまま",
    "ミニバッチの統計量",
    "新しいバッチの統計量に掛ける重み",
    "活性化関数",
    "非葉テンソル",
    "自動で切り替える",
    "動作確認した環境",
    "forward フック",
    "日本語の記事では「推論モード」と呼ばれる",
    "「no-grad mode をさらに推し進めたもの」（an extreme version of no-grad mode）",
    "勾配チェックポイント（gradient checkpointing、activation checkpointing とも）",
]


@pytest.mark.parametrize("text", ALLOWED)
def test_allowed_words_are_not_flagged(text: str):
    assert [t.line for t in TERMS if t.never.search(text)] == []
