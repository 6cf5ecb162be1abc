"""The measurement page: exact, device-independent facts of examples/measure/ (no timing)."""

import dataclasses
import importlib.util
import math
import re
import sys
from pathlib import Path

import jupytext
import pytest
import torch
from mkdocs_jupyter.utils import slugify

from support.examples import ROOT

MODULE = ROOT / "examples/measure/mode_costs.py"
NOTEBOOKS = {
    language: ROOT / f"docs/{language}/measure.py" for language in ("ja", "en")
}
NO_GRAPH = ["eval_no_grad", "eval_inference_mode", "eval_frozen"]


def load(path, name="mode_costs"):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


mc = load(MODULE)


@pytest.fixture(scope="module")
def memory():
    """The measured models on two samples: the relations do not depend on batch size."""
    torch.manual_seed(0)
    cases = [dataclasses.replace(case, x=case.x[:2]) for case in mc.build_cases()]
    return {
        case.name: {mode: mc.measure_memory(case, mode) for mode in mc.MODES}
        for case in cases
    }


def test_nothing_saved_without_a_graph(memory) -> None:
    for model, modes in memory.items():
        for mode in NO_GRAPH:
            assert modes[mode].saved_bytes == 0, (model, mode)
            assert not modes[mode].output_requires_grad, (model, mode)


def test_eval_saves_no_more_than_train(memory) -> None:
    for modes in memory.values():
        assert modes["eval_grad"].saved_bytes <= modes["train_grad"].saved_bytes
    for model in ("mlp", "tiny_mlp"):  # no layer reads `training`
        assert memory[model]["eval_grad"] == memory[model]["train_grad"]
    for model in (
        "cnn_bn_dropout",
        "transformer_layer",
    ):  # Dropout keeps nothing in eval, BatchNorm no batch statistics
        assert (
            memory[model]["eval_grad"].saved_bytes
            < memory[model]["train_grad"].saved_bytes
        )


def test_batchnorm_keeps_less_in_eval_without_dropout() -> None:
    """Without Dropout, BatchNorm still keeps less in eval: no statistics of the batch."""
    torch.manual_seed(0)
    case = next(c for c in mc.build_cases() if c.name == "cnn_bn_dropout")
    case = dataclasses.replace(case, x=case.x[:2])
    dropouts = [
        i for i, layer in enumerate(case.model) if isinstance(layer, torch.nn.Dropout)
    ]
    assert dropouts, "cnn_bn_dropout has no Dropout to take out"
    for i in dropouts:
        case.model[i] = torch.nn.Identity()
    train, eval_ = (
        mc.measure_memory(case, mode) for mode in ("train_grad", "eval_grad")
    )
    assert eval_.activation_bytes < train.activation_bytes


def test_frozen_front_of_each_model() -> None:
    """`Case.front` (frozen by `train_front_frozen`), as the Method section describes it."""
    cases = {case.name: case for case in mc.build_cases()}
    layers = {
        name: [type(layer).__name__ for layer in case.front]
        for name, case in cases.items()
    }
    assert layers == {
        "mlp": ["Linear", "ReLU", "Linear", "ReLU"],
        "cnn_bn_dropout": ["Conv2d", "BatchNorm2d", "ReLU"],
        "transformer_layer": ["MultiheadAttention", "LayerNorm"],
        "tiny_mlp": ["Linear", "ReLU", "Linear", "ReLU"],
    }
    for name in ("mlp", "cnn_bn_dropout", "tiny_mlp"):  # the first layers
        model, front = cases[name].model, cases[name].front
        assert list(front) == list(model[: len(front)]), name
    encoder = cases["transformer_layer"].model
    assert list(cases["transformer_layer"].front) == [encoder.self_attn, encoder.norm1]


def test_partial_freezing(memory) -> None:
    for modes in memory.values():
        front, base = modes["train_front_frozen"], modes["train_grad"]
        assert 0 < front.saved_bytes < base.saved_bytes
        assert front.activation_bytes < base.activation_bytes
        assert front.parameter_bytes <= base.parameter_bytes


def test_frozen_with_an_input_that_needs_grad(memory) -> None:
    for modes in memory.values():
        assert modes["train_frozen_input_grad"].saved_bytes > 0
        assert modes["train_frozen_input_grad"].output_requires_grad
    for model in ("mlp", "tiny_mlp"):
        frozen, base = (
            memory[model]["train_frozen_input_grad"],
            memory[model]["train_grad"],
        )
        assert frozen.parameter_bytes > base.parameter_bytes  # weights pass it on
        assert frozen.activation_bytes < base.activation_bytes  # no weight gradients


def test_only_inference_mode_returns_inference_tensors(memory) -> None:
    for modes in memory.values():
        inference = [mode for mode, m in modes.items() if m.output_is_inference]
        assert inference == ["eval_inference_mode"]


def test_encoder_fast_path_exactly_where_no_grad_is_needed() -> None:
    encoder = next(c for c in mc.build_cases() if c.name == "transformer_layer")
    assert [m for m in mc.MODES if mc.takes_encoder_fast_path(encoder, m)] == NO_GRAPH


def test_peak_memory_only_on_cuda(memory) -> None:
    peaks = {m.peak_bytes is None for modes in memory.values() for m in modes.values()}
    assert peaks == {not torch.get_default_device().type.startswith("cuda")}


def test_median_interval_and_verdict() -> None:
    assert mc.median_ci([float(i) for i in range(15)]) == (3.0, 11.0)
    n, k = 15, 4  # coverage of the 4th to 12th of 15 order statistics
    assert 1 - 2 * sum(math.comb(n, i) for i in range(k)) / 2**n > 0.95
    assert mc.verdict(0.80, 0.90, 0.03) == "faster"
    assert mc.verdict(1.10, 1.20, 0.03) == "slower"
    assert mc.verdict(0.90, 1.01, 0.03) == "no measurable difference"
    assert (
        mc.verdict(0.96, 0.98, 0.05) == "no measurable difference"
    )  # below resolution


def test_cache_is_reused_only_under_the_same_key(tmp_path) -> None:
    device = torch.get_default_device()
    key = mc.cache_key(device)
    stored = {"environment": {}, "memory": {}, "latency": {}}
    (tmp_path / f"{key}.json").write_text(__import__("json").dumps(stored))
    assert mc.measure_cached(device, tmp_path)["environment"] == {"from_cache": True}
    changed = tmp_path / "mode_costs.py"
    changed.write_text(MODULE.read_text() + "\n# changed\n")
    assert load(changed, "mode_costs_changed").cache_key(device) != key


def code_cells(path):
    return [c.source for c in jupytext.read(path).cells if c.cell_type == "code"]


def headings(path):
    cells = jupytext.read(path).cells
    text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    return [
        (len(m[1]), slugify(m[2])) for m in re.finditer(r"^(#{1,6}) (.*)$", text, re.M)
    ][1:]  # the title's id may differ


def test_notebook_code_cells_are_identical() -> None:
    """The same code in both languages; only the first line names the page's language."""
    cells = {}
    for language in ("ja", "en"):
        first, *rest = code_cells(NOTEBOOKS[language])
        line, _, first = first.partition("\n")
        assert line.startswith(f'LANGUAGE = "{language}"'), (
            f"docs/{language}/measure.py: the first code cell must start with "
            f'LANGUAGE = "{language}"'
        )
        cells[language] = [first, *rest]
    assert cells["ja"] == cells["en"], (
        "docs/ja/measure.py and docs/en/measure.py differ in a code cell"
    )


def test_findings_in_both_languages(memory) -> None:
    """The summary is written in the page's language from the same run."""
    torch.manual_seed(0)
    cases = [dataclasses.replace(case, x=case.x[:2]) for case in mc.build_cases()]
    measured = {
        model: {mode: dataclasses.asdict(result) for mode, result in modes.items()}
        for model, modes in memory.items()
    }
    latency = mc.measure_latency(cases, rounds=3)
    run = {"memory": measured, "latency": latency}
    ja, en = mc.findings(run, "ja"), mc.findings(run, "en")
    assert len(ja) == len(en) == 4 + 2 * len(cases)
    assert en[0] == (
        "0 bytes kept for backward in every model: "
        "`eval_no_grad`, `eval_inference_mode`, `eval_frozen`"
    )
    assert ja[0].endswith("`eval_no_grad`, `eval_inference_mode`, `eval_frozen`")
    assert ja[0] != en[0]
    assert en[1].endswith("in every model: `eval_inference_mode`")


def test_notebook_anchors_are_identical() -> None:
    ja, en = (headings(NOTEBOOKS[language]) for language in ("ja", "en"))
    assert ja == en
    assert all(re.fullmatch(r"[a-z-]+", anchor) for _, anchor in ja)


# ------------------------------------------------ hooks/notebooks.py: the page cache

notebooks = load(ROOT / "hooks/notebooks.py", "notebooks_hook")
INPUTS = {
    "notebook": b"# %%\nprint(1)\n",
    "dependencies": {"mode_costs.py": b"x = 1\n"},
    "torch": "2.13.0",
    "device": "node\nLinux\nx86_64\ncuda = None",
}


def test_cache_key_changes_with_each_input() -> None:
    key = notebooks.cache_key(**INPUTS)
    assert notebooks.cache_key(**INPUTS) == key  # the same inputs, the same key
    changed = {
        "notebook": b"# %%\nprint(2)\n",
        "dependencies": {"mode_costs.py": b"x = 2\n"},
        "torch": "2.14.1",
        "device": "node\nLinux\nx86_64\ncuda = '12.8'\nModel: NVIDIA H200",
    }
    for name, value in changed.items():
        assert notebooks.cache_key(**{**INPUTS, name: value}) != key, name
    more = {**INPUTS["dependencies"], "charts.py": b""}  # a new, even empty, file
    assert notebooks.cache_key(**{**INPUTS, "dependencies": more}) != key
    moved = {"sub/mode_costs.py": b"x = 1\n"}  # same bytes under another name
    assert notebooks.cache_key(**{**INPUTS, "dependencies": moved}) != key
    assert notebooks.cache_key(**INPUTS, renderer="no_input=True") != key


def test_key_inputs_are_read_from_this_checkout() -> None:
    files = notebooks.dependency_files()
    assert "mode_costs.py" in files
    assert files["mode_costs.py"] == MODULE.read_bytes()
    assert (
        torch.__version__.split("+")[0] == notebooks.torch_version().split("+")[0]
    )  # read without importing torch (the metadata drops a local tag such as +cu130)
    fingerprint = notebooks.device_fingerprint()
    assert fingerprint == notebooks.device_fingerprint()
    build = (Path(torch.__file__).parent / "version.py").read_text(encoding="utf-8")
    assert build in fingerprint  # torch's build (CUDA, ROCm or CPU) is part of it


JUPYTER_PAGE = """
<style>.jp-Cell {{ color: red }}</style><script src=""></script>
<div class="jp-Cell jp-MarkdownCell"><div class="jp-RenderedMarkdown">
<h2 id="summary">Summary<a class="anchor-link" href="#summary">¶</a></h2><p>{text}</p></div></div>
<div class="jp-Cell jp-CodeCell"><div class="jp-Cell jp-CodeCell"><div class="highlight-ipynb">
<pre>x</pre></div><div id="cell-1" class="clipboard-copy-txt">print(1 &lt; 2)</div>
<div class="jp-OutputArea-output"><pre>True</pre></div>
<div class="jp-OutputArea-output"><img src="data:image/png;base64,{png}"></div></div></div>
"""


class Page:
    def __init__(self, source, executions):
        self.file = type(
            "File",
            (),
            {
                "abs_src_path": str(source),
                "src_uri": "nb.py",
                "dest_uri": "nb/index.html",
            },
        )()
        self.executions = executions

    def render(self, config, files):  # stands in for mkdocs-jupyter: "executes"
        self.executions.append(1)
        self.content = JUPYTER_PAGE.format(
            text=len(self.executions), png="iVBORw0KGgo="
        )


def build_page(tmp_path, source, executions, language="en"):
    plugin = type("Plugin", (), {})()
    plugin.config = {
        "cache_dir": str(tmp_path / "cache"),
        "toc_depth": 6,
        "ignore_h1_titles": False,
    }
    plugin.should_include = lambda file: True
    config = {
        "plugins": {"mkdocs-jupyter": plugin},
        "docs_dir": str(tmp_path),
        "site_dir": str(tmp_path / "site"),
        "theme": {"language": language},
    }
    page = notebooks.on_pre_page(Page(source, executions), config, None)
    page.render(config, None)
    return page


def test_unchanged_notebook_reuses_its_execution(tmp_path) -> None:
    source = tmp_path / "nb.py"
    source.write_text("# %% [markdown]\n# ## Summary\n\n# %%\nprint(1 < 2)\n")
    executions = []
    first = build_page(tmp_path, source, executions)
    second = build_page(tmp_path, source, executions)
    assert executions == [1], "the unchanged notebook was executed again"
    assert second.content == first.content
    source.write_text(source.read_text() + "print(3)\n")
    third = build_page(tmp_path, source, executions)
    assert executions == [1, 1], "the changed notebook was not executed again"
    assert third.content != first.content


def test_page_is_plain_html(tmp_path) -> None:
    source = tmp_path / "nb.py"
    source.write_text("# %% [markdown]\n# ## Summary\n")
    page = build_page(tmp_path, source, [], language="ja")
    html = page.content
    assert (
        html.count("<style") == 1 and notebooks.STYLE in html
    )  # the hook's own, small
    assert "<script" not in html and "jp-" not in html and "color: red" not in html
    assert '<h2 id="summary">Summary<a class="headerlink"' in html
    assert html.count("<details") == 1 and "<summary>コード</summary>" in html
    assert html.count("notebook-output") == 1  # a nested cell is shown once
    assert "<code>print(1 &lt; 2)</code>" in html
    assert '<pre class="notebook-output"><code>True</code></pre>' in html
    images = list((tmp_path / "site/nb").glob("figure-*.png"))
    assert len(images) == 1 and f'src="{images[0].name}"' in html
    assert [t.id for t in page.toc] == ["summary"]


def test_oversized_notebook_page_fails_the_build() -> None:
    notebooks.check_size("x" * notebooks.MAX_PAGE_BYTES, "measure.py")
    with pytest.raises(
        Exception, match=r"measure.py: the built notebook page is 150,001 bytes"
    ):
        notebooks.check_size("x" * (notebooks.MAX_PAGE_BYTES + 1), "measure.py")
