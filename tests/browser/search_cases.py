"""What the search box must find: each query and the pages or sections that answer it.

A case passes when one of its ``expected`` addresses is among the links of the first
three results (Material lists one result per page, with its best sections under it).
An address is ``page/`` (the page, or any section of it) or ``page/#anchor`` (that
section), relative to the language's root ("" is the home page).

``tools/search_benchmark.py`` runs the same cases outside the tests, and
``tests/browser/test_site.py`` in Chromium.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))

from support.error_index import ERRORS_PAGE, error_entries  # noqa: E402
from support.pages import parse_page  # noqa: E402

TOP = 3  # the expected result must be among the first three


@dataclass(frozen=True)
class SearchCase:
    lang: str
    query: str
    expected: tuple[str, ...]
    # For an error message: the message as the index quotes it (its entry is accepted too).
    message: str | None = field(default=None, compare=False)

    @property
    def id(self) -> str:
        query = self.query if len(self.query) <= 60 else self.query[:57] + "..."
        return f"{self.lang}:{query}"


def _case(lang: str, query: str, *expected: str):
    return SearchCase(lang, query, tuple(expected))


# The glossary (用語集, docs/*/glossary.md) explains the words readers type.
GLOSSARY = "glossary/"

WORDS = [
    # --- Japanese: compounds, verbs with okurigana, katakana, mixed (issue findings) ---
    # eval() is often called 推論モード in Japanese; inference_mode is too
    _case("ja", "推論モード", "pitfalls/#inference", "", "inference-mode/", GLOSSARY),
    _case("ja", "学習モード", "train-eval/", "pitfalls/#single-sample-batchnorm"),
    _case("ja", "評価モード", "train-eval/"),
    _case("ja", "計算グラフ", "#ex-graph-recording", "detach/"),
    _case("ja", "凍結する", "requires-grad/"),
    _case("ja", "凍結した", "requires-grad/", "pitfalls/#frozen-moved-by-optimizer"),
    _case("ja", "メモリ使用量", "#corrections", "measure/"),
    _case("ja", "検証ループ", "recipes/#recipe-train-val"),
    _case("ja", "バッチ正規化", GLOSSARY, "train-eval/"),
    _case("ja", "ドロップアウト", GLOSSARY, "train-eval/"),
    _case(
        "ja",
        "勾配チェックポイント",
        GLOSSARY,
        "training-stack/#checkpoint",
    ),
    _case("ja", "推論時", GLOSSARY, "inference-mode/", "which-one/"),
    _case("ja", "微調整", GLOSSARY, "requires-grad/"),
    _case("ja", "ファインチューニング", "requires-grad/", "#recipe-freeze", GLOSSARY),
    _case("ja", "転移学習", GLOSSARY, "requires-grad/"),
    _case("ja", "自動微分", GLOSSARY, "", "grad-mode/"),
    _case("ja", "勾配", "requires-grad/"),
    _case("ja", "推論", "inference-mode/"),
    _case("ja", "推論テンソル", "inference-mode/#inference-tensors"),
    _case("ja", "葉テンソル", "requires-grad/#leaves"),
    _case(
        "ja",
        "逆伝播",
        "measure/#memory",
        "#ex-saved-tensors",
        "inference-mode/#ex-saved",
    ),
    _case("ja", "凍結解除", "requires-grad/#recipe-staged-unfreezing"),
    _case("ja", "落とし穴", "pitfalls/"),
    _case("ja", "エラーメッセージ", "errors/"),
    _case("ja", "使い分け", "which-one/"),
    _case("ja", "量子化", "compiled/"),
    _case("ja", "コンパイル", "compiled/"),
    _case("ja", "メモリ", "measure/"),
    _case("ja", "定番レシピ", "recipes/"),
    _case("ja", "no_grad 推論", "", "inference-mode/", "grad-mode/"),
    _case("ja", "eval モード", "train-eval/"),
    _case("ja", "モデルを評価モードにする", "train-eval/", "inference-mode/#not-eval"),
    _case("ja", "no_grad", "grad-mode/"),
    _case("ja", "オプティマイザ", "requires-grad/#optimizer", "pitfalls/"),
    _case("ja", "チェックポイント", "training-stack/#checkpoint"),
    _case(
        "ja", "BatchNorm 凍結", "pitfalls/#batchnorm-requires-grad", "requires-grad/"
    ),
    _case("ja", "eval()と学習モード", "train-eval/", "training-stack/#eval-collapse"),
    # --- Japanese: libraries II (issue 20): what readers type about them ---
    _case("ja", "ONNX エクスポート", "onnx/"),
    _case("ja", "ONNX に変換すると Dropout", "onnx/#dropout", "onnx/"),
    _case("ja", "推論時もドロップアウトを有効にする", "onnx/#mc-dropout", "onnx/"),
    _case("ja", "MC dropout", "onnx/#mc-dropout"),
    _case("ja", "検証損失", "detection/#validation-loss", "detection/"),
    _case("ja", "物体検出モデルの検証", "detection/"),
    _case(
        "ja",
        "FrozenBatchNorm2d",
        "detection/#frozen-batchnorm",
        "training-stack/#frozen-batchnorm",
    ),
    _case("ja", "SFTTrainer", "libraries/#trl-sft-peft", "libraries/#trl"),
    _case("ja", "prepare_model_for_kbit_training", "libraries/#trl-kbit"),
    _case(
        "ja", "LoRA の BatchNorm を保存", "libraries/#peft-batchnorm-modules-to-save"
    ),
    _case("ja", "modules_to_save", "libraries/#peft-batchnorm-modules-to-save"),
    _case("ja", "Lightning freeze", "libraries/#lightning-freeze"),
    _case("ja", "toggle_optimizer", "libraries/#lightning-toggle-optimizer"),
    _case("ja", "BatchSizeFinder", "libraries/#lightning-tuners"),
    _case("ja", "SWA の BatchNorm", "libraries/#lightning-swa"),
    # --- English ---
    _case("en", "no_grad", "grad-mode/"),
    _case("en", "freeze", "requires-grad/"),
    _case("en", "inference_mode", "inference-mode/"),
    _case("en", "detach", "detach/"),
    _case("en", "requires_grad", "requires-grad/"),
    _case("en", "BatchNorm", "train-eval/"),
    _case("en", "dropout", "train-eval/"),
    _case("en", "set_grad_enabled", "grad-mode/"),
    _case("en", "gradient checkpointing", "training-stack/#checkpoint", "libraries/"),
    _case("en", "torch.compile", "compiled/"),
    _case("en", "leaf tensor", "requires-grad/#leaves"),
    _case("en", "pitfalls", "pitfalls/"),
    _case("en", "memory", "measure/"),
    _case("en", "onnx export dropout", "onnx/#dropout", "onnx/"),
    _case("en", "MC dropout", "onnx/#mc-dropout"),
    _case(
        "en", "validation loss detection", "detection/#validation-loss", "detection/"
    ),
    _case("en", "SFTTrainer", "libraries/#trl-sft-peft", "libraries/#trl"),
    _case("en", "modules_to_save", "libraries/#peft-batchnorm-modules-to-save"),
    _case("en", "lightning unfreeze", "libraries/#lightning-freeze"),
    _case("en", "update_bn", "libraries/#lightning-swa"),
]


def _address(target: str) -> str:
    """A Markdown link target on errors.md ("train-eval.md#x") as an address ("train-eval/#x")."""
    file, _, anchor = target.partition("#")
    page = "" if file in ("", "index.md") else file.removesuffix(".md") + "/"
    return f"{page}#{anchor}" if anchor else page


def first_sentence(message: str) -> str | None:
    """The message up to its first full stop, when more follows (what a reader pastes
    from the first line of a long message)."""
    parts = re.split(r"(?<=[.!])\s*(?=[A-Z])", message, maxsplit=1)
    return parts[0].rstrip(".!") if len(parts) == 2 else None


def error_cases(lang: str, docs: Path = ROOT / "docs") -> list[SearchCase]:
    """Every message of the error index, pasted whole and as its first sentence ('…', a
    part that varies, left out): its entry or a section that explains it must come first.
    """
    entries, problems = error_entries(parse_page(docs / lang / ERRORS_PAGE), lang)
    assert not problems, problems
    cases = []
    for entry in entries:
        expected = tuple(_address(link.target) for link in entry.links["fix"])
        whole = re.sub(r"\s+", " ", entry.quote.replace("…", " ")).strip()
        for query in dict.fromkeys(filter(None, [whole, first_sentence(whole)])):
            cases.append(SearchCase(lang, query, expected, message=entry.quote))
    return cases


def all_cases(docs: Path = ROOT / "docs") -> list[SearchCase]:
    return WORDS + error_cases("ja", docs) + error_cases("en", docs)
