"""Draw what ``recorded_graph.py`` found in the real autograd graph, as SVG.

    python examples/graphs/_draw.py          # rewrite the pictures under docs/
    python examples/graphs/_draw.py --check  # exit 1 if a committed picture is stale

The pictures are drawn from one run of ``recorded_graph.py`` (its ``FACTS``), on the
default device, which is the CPU unless you set another; the committed ones come from the
CPU (``make update-examples``). Every box and arrow is a node or a ``next_functions`` edge
of that run: nothing is placed by hand. The text is plain string building in a fixed order
(layers, then parameters by name, then next_functions as listed), with no addresses, so
the same graph always gives the same bytes (tests/test_graphs.py checks this).
"""

from __future__ import annotations

import contextlib
import io
import runpy
import sys
import unicodedata
from html import escape
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
EXAMPLE = HERE / "recorded_graph.py"

# Which situations each picture shows, and where it goes (docs/<language>/<PICTURES>).
PICTURES = {
    "assets/graphs/overview.svg": [
        "train",
        "eval",
        "all frozen",
        "frozen prefix",
        "frozen middle",
        "no_grad",
        "inference_mode",
    ],
    "assets/graphs/frozen.svg": [
        "train",
        "all frozen",
        "frozen prefix",
        "frozen middle",
    ],
}
LANGUAGES = ("ja", "en")

TEXT = {
    "ja": {
        "title": "autograd が記録したグラフ(CPU での実行から描画)",
        "desc": (
            "Linear, ReLU, Dropout, Linear, ReLU, Linear のモデルを {n} 通りの状況で"
            "実行し、out.grad_fn から next_functions をたどって見つけた節点を、"
            "層ごとに並べた図です。{rows}"
        ),
        "train": "学習モード model.train()",
        "eval": "評価モード model.eval()",
        "all frozen": "全部凍結 model.requires_grad_(False)",
        "frozen prefix": "先頭を凍結 model[0].requires_grad_(False)",
        "frozen middle": "中間を凍結 model[3].requires_grad_(False)",
        "no_grad": "with torch.no_grad():",
        "inference_mode": "with torch.inference_mode():",
        "summary": "保存 {saved} 個 · .grad {grads}/{total}",
        "no graph": "grad_fn=None · backward() は RuntimeError",
        "inference": "grad_fn=None · 出力は推論テンソル · backward() は RuntimeError",
        "saves": "保存 {names}",
        "saves nothing": "保存なし",
        "not recorded": "記録なし",
        "legend node": "記録された節点: type(node).__name__ と、保存したテンソル(_saved_*)",
        "legend missing": "記録なし",
        "legend arrow": "next_functions(勾配が進む向き)",
        "legend leaf": "AccumulateGrad あり: backward() 後に .grad が入る",
        "legend no leaf": "グラフにない: .grad は None",
        "legend names": "mat1 = Linear の入力 · mat2 = その重みの転置 · result = ReLU の出力",
        "row": "{label}: {nodes}。",
        "row nodes": "{count} 個の節点、{summary}",
    },
    "en": {
        "title": "What autograd recorded (drawn from a run on the CPU)",
        "desc": (
            "A model of Linear, ReLU, Dropout, Linear, ReLU, Linear, run in {n} "
            "situations; each node found by walking next_functions from out.grad_fn "
            "is drawn under its layer. {rows}"
        ),
        "train": "train mode: model.train()",
        "eval": "eval mode: model.eval()",
        "all frozen": "all frozen: model.requires_grad_(False)",
        "frozen prefix": "first layer frozen: model[0].requires_grad_(False)",
        "frozen middle": "middle layer frozen: model[3].requires_grad_(False)",
        "no_grad": "with torch.no_grad():",
        "inference_mode": "with torch.inference_mode():",
        "summary": "saved {saved} · .grad {grads}/{total}",
        "no graph": "grad_fn=None · backward() raises RuntimeError",
        "inference": "grad_fn=None · an inference tensor · backward() raises RuntimeError",
        "saves": "saved {names}",
        "saves nothing": "saves nothing",
        "not recorded": "not recorded",
        "legend node": "a recorded node: type(node).__name__ and the tensors it saved (_saved_*)",
        "legend missing": "nothing recorded",
        "legend arrow": "next_functions (where the gradient goes)",
        "legend leaf": "AccumulateGrad: .grad is set by backward()",
        "legend no leaf": "not in the graph: .grad stays None",
        "legend names": "mat1 = the Linear's input · mat2 = its weight, transposed · result = ReLU's output",
        "row": "{label}: {nodes}.",
        "row nodes": "{count} nodes, {summary}",
    },
}

SANS = (
    '"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Hiragino Kaku Gothic ProN", '
    '"Yu Gothic", Meiryo, "IPAPGothic", "IPAexGothic", system-ui, sans-serif'
)
MONO = (
    'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, "Liberation Mono", '
    '"Noto Sans Mono CJK JP", "IPAGothic", monospace'
)
COLOURS = {
    "ink": "#1b1f24",
    "muted": "#5f6368",
    "node": "#1f4e79",
    "node fill": "#e8f0fa",
    "leaf": "#1e6b34",
    "leaf fill": "#e3f2e6",
    "none": "#80868b",
    "rule": "#d0d4d9",
}

# Geometry (pixels). Columns are the model's layers; rows are situations.
WIDTH = 780
LEFT = 12
COLUMN = 126
BOX = 116  # width of an op node
TOP = 64  # first row
ROW = 142
LEGEND = 132


def text_width(text: str, size: float, mono: bool = True) -> float:
    """A safe over-estimate of the drawn width: wide (CJK) characters count 1 em."""
    narrow = 0.62 if mono else 0.6
    return sum(
        size if unicodedata.east_asian_width(c) in "WF" else size * narrow for c in text
    )


def load_facts() -> tuple[dict, list[str], dict[str, int]]:
    """Run the example (its prints are dropped) and return what it recorded."""
    with contextlib.redirect_stdout(io.StringIO()):
        namespace = runpy.run_path(str(EXAMPLE), run_name="__graphs__")
    model = namespace["model"]
    layers = [f"{i} {type(layer).__name__}" for i, layer in enumerate(model)]
    parameters = {name: int(name.split(".")[0]) for name, _ in model.named_parameters()}
    return namespace["FACTS"], layers, parameters


class Svg:
    """SVG elements as text; their look lives in STYLE, so each element stays short."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def add(self, element: str) -> None:
        self.parts.append(element)

    def text(self, x: float, y: float, content: str, style: str) -> None:
        """``style``: classes of STYLE, e.g. "m c" (monospace, centred)."""
        self.add(f'<text x="{x:g}" y="{y:g}" class="{style}">{escape(content)}</text>')

    def rect(self, x: float, y: float, w: float, h: float, style: str) -> None:
        self.add(
            f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" rx="4" class="{style}"/>'
        )

    def rule(self, y: float) -> None:
        self.add(
            f'<line x1="{LEFT}" y1="{y:g}" x2="{WIDTH - LEFT}" y2="{y:g}" class="r"/>'
        )

    def arrow(self, x1: float, y1: float, x2: float, y2: float) -> None:
        """A line from (x1, y1) with its head at (x2, y2): down or to the left."""
        self.add(f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" class="a"/>')
        if x1 == x2:
            head = [(x2, y2), (x2 - 4, y2 - 7), (x2 + 4, y2 - 7)]
        else:
            head = [(x2, y2), (x2 + 7, y2 - 4), (x2 + 7, y2 + 4)]
        points = " ".join(f"{a:g},{b:g}" for a, b in head)
        self.add(f'<polygon points="{points}" class="h"/>')


STYLE = (
    f".s{{font-family:{SANS};font-size:12px;fill:{COLOURS['ink']}}}"
    f".m{{font-family:{MONO};font-size:11px;fill:{COLOURS['ink']}}}"
    ".b{font-weight:bold;font-size:12px}.t{font-size:15px}.k{font-size:13px}"
    ".x{font-size:10px}.c{text-anchor:middle}.e{text-anchor:end}"
    f".g{{fill:{COLOURS['muted']}}}"
    "rect{stroke-width:1.2px}"
    f".n{{fill:{COLOURS['node fill']};stroke:{COLOURS['node']}}}"
    f".l{{fill:{COLOURS['leaf fill']};stroke:{COLOURS['leaf']}}}"
    f".o{{fill:none;stroke:{COLOURS['none']};stroke-dasharray:4 3}}"
    f".a{{stroke:{COLOURS['node']};stroke-width:1.4px}}.h{{fill:{COLOURS['node']}}}"
    f".r{{stroke:{COLOURS['rule']}}}"
)


def column_x(layer: int) -> float:
    return LEFT + layer * COLUMN + (COLUMN - BOX) / 2


def leaf_box(layer: int, kind: str) -> tuple[float, float]:
    """x and width of the AccumulateGrad box of a layer's weight or bias."""
    x = column_x(layer)
    return (x, 62) if kind == "weight" else (x + 68, BOX - 68)


def draw_row(
    svg: Svg, top: float, facts: dict, parameters: dict, words: dict, columns: int
) -> None:
    nodes = facts["nodes"]
    node_y, t_y, leaf_y = top + 26, top + 78, top + 108
    ops = {n["layer"]: n for n in nodes if n["layer"] is not None}
    for layer in range(columns):
        x = column_x(layer)
        if layer in ops:
            node = ops[layer]
            svg.rect(x, node_y, BOX, 40, "n")
            svg.text(x + BOX / 2, node_y + 16, node["name"], "m b c")
            saves = (
                words["saves"].format(names=" ".join(node["saved"]))
                if node["saved"]
                else words["saves nothing"]
            )
            svg.text(x + BOX / 2, node_y + 32, saves, "m c")
        else:
            svg.rect(x, node_y, BOX, 40, "o")
            svg.text(x + BOX / 2, node_y + 32, words["not recorded"], "s g c")
    # The parameters' AccumulateGrad nodes, or dashed boxes for those not in the graph.
    in_graph = {n["parameter"] for n in nodes if n["name"] == "AccumulateGrad"}
    for name, layer in sorted(parameters.items()):
        kind = name.split(".")[1]
        x, w = leaf_box(layer, kind)
        if name in in_graph:
            svg.rect(x, leaf_y, w, 22, "l")
            svg.text(x + w / 2, leaf_y + 15, f"{kind} ✓", "m c")
        else:
            svg.rect(x, leaf_y, w, 22, "o")
            svg.text(x + w / 2, leaf_y + 15, f"{kind} –", "m g c")
    # The edges, exactly as next_functions lists them.
    for node in nodes:
        if node["layer"] is None:
            continue
        x = column_x(node["layer"])
        for child_index in node["next"]:
            if child_index is None:
                continue
            child = nodes[child_index]
            if child["name"] == "TBackward0" and len(child["next"]) == 1:
                leaf, through = nodes[child["next"][0]], child
            else:
                leaf, through = child, None
            if leaf["layer"] is not None and through is None:  # a node to the left
                left = column_x(leaf["layer"]) + BOX
                svg.arrow(x, node_y + 14, left, node_y + 14)
                continue
            name = leaf["parameter"]
            if (
                leaf["name"] != "AccumulateGrad"
                or parameters.get(name) != node["layer"]
            ):
                raise ValueError(
                    f"{EXAMPLE.name}: cannot place node {child['name']} under "
                    f"{node['name']} of layer {node['layer']}; teach "
                    f"{Path(__file__).name} where it goes"
                )
            leaf_x, w = leaf_box(node["layer"], name.split(".")[1])
            middle = leaf_x + w / 2
            if through is None:
                svg.arrow(middle, node_y + 40, middle, leaf_y)
                continue
            svg.arrow(middle, node_y + 40, middle, t_y)
            svg.rect(leaf_x - 4, t_y, w + 8, 18, "n")
            svg.text(middle, t_y + 13, through["name"], "m x c")
            svg.arrow(middle, t_y + 18, middle, leaf_y)


def summary(facts: dict, parameters: dict, words: dict) -> str:
    if facts["inference"]:
        return words["inference"]
    if not facts["nodes"]:
        return words["no graph"]
    saved = sum(len(n["saved"]) for n in facts["nodes"])
    return words["summary"].format(
        saved=saved, grads=len(facts["grads"]), total=len(parameters)
    )


def draw(
    facts: dict, layers: list[str], parameters: dict, situations: list, language: str
) -> str:
    words = TEXT[language]
    height = TOP + ROW * len(situations) + LEGEND
    svg = Svg()
    svg.text(LEFT, 22, words["title"], "s b t")
    for layer, name in enumerate(layers):
        x = LEFT + layer * COLUMN + COLUMN / 2
        svg.text(x, 48, name, "m b c")
    rows = []
    for index, situation in enumerate(situations):
        top = TOP + ROW * index
        label = words[situation]
        right = summary(facts[situation], parameters, words)
        if (
            text_width(label, 13, False) + text_width(right, 12, False) + 24
            > WIDTH - 2 * LEFT
        ):
            raise ValueError(f"{language}: the row header of {situation!r} is too long")
        svg.rule(top)
        svg.text(LEFT, top + 18, label, "s b k")
        svg.text(WIDTH - LEFT, top + 18, right, "s g e")
        draw_row(svg, top, facts[situation], parameters, words, len(layers))
        count = len(facts[situation]["nodes"])
        nodes = (
            words["row nodes"].format(count=count, summary=right) if count else right
        )
        rows.append(words["row"].format(label=label, nodes=nodes))
    legend_top = TOP + ROW * len(situations) + 8
    draw_legend(svg, legend_top, words)
    title = escape(words["title"])
    desc = escape(words["desc"].format(n=len(situations), rows=" ".join(rows)))
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}"'
        f' viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="title desc"'
        f' lang="{language}">\n'
        f'<title id="title">{title}</title>\n<desc id="desc">{desc}</desc>\n'
        f"<style>{STYLE}</style>\n"
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>\n'
    )
    return head + "\n".join(svg.parts) + "\n</svg>\n"


def draw_legend(svg: Svg, top: float, words: dict) -> None:
    """The legend's items, left to right, wrapping to a new line when one is full."""
    svg.rule(top - 8)
    items = [
        ("n", words["legend node"]),
        ("arrow", words["legend arrow"]),
        ("o", words["legend missing"]),
        ("l", words["legend leaf"]),
        ("o", words["legend no leaf"]),
        ("names", words["legend names"]),
    ]
    x, y = LEFT, top + 4
    for kind, label in items:
        symbol = 0 if kind == "names" else 44  # the names need no symbol
        width = symbol + text_width(label, 12, mono=False)
        if x > LEFT and x + width > WIDTH - LEFT:
            x, y = LEFT, y + 28
        if kind == "arrow":
            svg.arrow(x + 34, y + 9, x, y + 9)
        elif symbol:
            svg.rect(x, y, 34, 18, kind)
        svg.text(x + symbol, y + 13, label, "s")
        x += width + 22
    if y + 24 > top + LEGEND - 8:
        raise ValueError("the legend does not fit: make LEGEND taller")


def pictures() -> dict[Path, str]:
    """Every picture: its path under the repository and the SVG text drawn now."""
    facts, layers, parameters = load_facts()
    return {
        ROOT / "docs" / language / name: draw(
            facts, layers, parameters, situations, language
        )
        for language in LANGUAGES
        for name, situations in PICTURES.items()
    }


def main(argv: list[str]) -> int:
    stale = []
    for path, drawn in pictures().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == drawn:
            continue
        stale.append(path.relative_to(ROOT).as_posix())
        if "--check" not in argv:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(drawn, encoding="utf-8")
    verb = "stale" if "--check" in argv else "rewritten"
    for name in stale:
        print(f"{name}: {verb}")
    return 1 if stale and "--check" in argv else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
