"""The measurement page: exact, device-independent facts of examples/measure/ (no timing)."""

import dataclasses
import importlib.util
import math
import re
import sys

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
    ):  # Dropout keeps nothing in eval
        assert (
            memory[model]["eval_grad"].saved_bytes
            < memory[model]["train_grad"].saved_bytes
        )


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
    ja, en = (code_cells(NOTEBOOKS[language]) for language in ("ja", "en"))
    assert ja == en, "docs/ja/measure.py and docs/en/measure.py differ in a code cell"
    assert ja, "the notebooks have no code cells"


def test_notebook_anchors_are_identical() -> None:
    ja, en = (headings(NOTEBOOKS[language]) for language in ("ja", "en"))
    assert ja == en
    assert all(re.fullmatch(r"[a-z-]+", anchor) for _, anchor in ja)
