# ---
# jupyter:
#   description: "Measured: how much memory is kept for the backward pass and how fast the forward pass runs under model.eval(), no_grad, inference_mode and freezing."
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Measured: memory and speed of each mode
#
# How much memory for backward, and how much forward-pass time, do `model.eval()`, `torch.no_grad()`,
# `torch.inference_mode()` and freezing (`requires_grad=False`) save? These are measured results.
# The summary, every chart and every table are outputs of this notebook's code cells (open "Code" to see them);
# the text contains no measured numbers. What each switch does is in [the comparison table](../#comparison) on the home page.
#
# The line below names the torch version and device of the run that produced the charts and tables, and when it measured.
# The site's build does not execute this notebook every time: when it does is explained under [Environment](#environment).

# %%
LANGUAGE = "en"  # the page's language: chart labels and the summary
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import matplotlib_fontja  # noqa: F401  (a Japanese font: IPAexGothic, from requirements.txt)
from IPython.display import Markdown, display

here = Path.cwd().resolve()
root = next(p for p in [here, *here.parents] if (p / "examples/measure").is_dir())
sys.path.insert(0, str(root / "examples/measure"))
import mode_costs  # noqa: E402  (examples/measure/mode_costs.py)

plt.rcParams.update({"font.family": ["DejaVu Sans", "IPAexGothic"], "font.size": 11,
                     "figure.dpi": 100})
TEXT = {
    "ja": {"memory": "逆伝播のために保持するテンソル", "kib": "保持する量（KiB）",
           "weights": "パラメータ + バッファ", "activations": "活性値（入力を含む）",
           "latency": "順伝播の時間（train_grad との比）",
           "ratio": "時間 / train_grad（中央値、ひげは IQR）"},
    "en": {"memory": "Tensors kept for backward", "kib": "kept (KiB)",
           "weights": "parameters + buffers", "activations": "activations (input included)",
           "latency": "Forward-pass time relative to train_grad",
           "ratio": "time / train_grad (median, whiskers: IQR)"},
}[LANGUAGE]

cache = root / ".cache/measure"
runs = [mode_costs.measure_cached(device, cache) for device in mode_costs.devices()]


def produced_by(run):
    env = run["environment"]
    return f"torch {env['torch']}, {env['device']} ({env['device_name']})"


for run in runs:
    env = run["environment"]
    print(f"{produced_by(run)}\n  {env['threads']} thread(s), clock {env['clock']}, "
          f"{env['rounds']} rounds\n  measured {env['measured_at']}, in {env['seconds']} s")
gpus = [run["environment"]["device_name"] for run in runs if run["environment"]["gpu"]]
print("GPU:", ", ".join(gpus) if gpus else "not measured yet (no GPU in this run)")


# %% [markdown]
# ## Summary
#
# The code writes the statements below from this run's results; if the results change, so do they.
# `faster` / `slower` mean a difference beyond the resolution; `no measurable difference` means the
# difference, if any, is below it ([Method](#method)).

# %%
for run in runs:
    display(Markdown(f"**{produced_by(run)}**\n\n"
                     + "\n".join(f"- {line}" for line in mode_costs.findings(run, LANGUAGE))))


# %% [markdown]
# ## Memory
#
# The bytes of the tensors autograd keeps for backward after one forward pass.

# %%
modes = list(mode_costs.MODES)
for run in runs:
    memory = run["memory"]
    fig, axes = plt.subplots(2, 2, figsize=(9, 7.5), sharey=True, layout="constrained")
    for ax, (model, rows) in zip(axes.flat, memory.items(), strict=True):
        weights = [rows[mode]["parameter_bytes"] / 1024 for mode in modes]
        activations = [rows[mode]["activation_bytes"] / 1024 for mode in modes]
        ax.barh(modes, weights, label=TEXT["weights"], color="tab:blue")
        ax.barh(modes, activations, left=weights, label=TEXT["activations"], color="tab:orange")
        for row, (w, a) in enumerate(zip(weights, activations, strict=True)):
            if w + a == 0:
                ax.text(0, row, " 0", va="center")
        ax.set_title(model)
        ax.set_xlabel(TEXT["kib"])
    axes[0, 0].invert_yaxis()
    fig.legend(*axes[0, 0].get_legend_handles_labels(), loc="outside lower center", ncols=2)
    fig.suptitle(f"{TEXT['memory']}\n{produced_by(run)}")
    plt.show()


# %% [markdown]
# Each table cell is the length of a bar in the chart (the total, in KiB).

# %%
for run in runs:
    display(Markdown(f"**{produced_by(run)}**, KiB\n\n" + mode_costs.memory_table(run)))


# %% [markdown]
# These relations hold in every run; running `examples/measure/mode_costs.py` alone and the tests in
# `tests/test_measure.py` check them with `assert`:
#
# - `eval_no_grad`, `eval_inference_mode` and `eval_frozen` (with an input that needs no grad) keep 0 bytes, in every model.
# - `eval_grad` keeps no more than `train_grad`: exactly the same in `mlp`, where no layer reads `training`,
#   and less in the models with Dropout or BatchNorm (in eval mode Dropout is the identity and keeps nothing,
#   and BatchNorm normalises with its running statistics, so it keeps no statistics of the batch).
# - `train_front_frozen` keeps more than 0 and less than `train_grad`: the frozen front's activations are not kept.
# - `train_frozen_input_grad` keeps tensors although every parameter is frozen: to pass the gradient on to
#   the input it keeps the weights. In `mlp` it keeps more weights than `train_grad`, and none of the
#   layer inputs that only weight gradients need.
# - Only `eval_inference_mode` returns an inference tensor.
#
# ## Latency
#
# Forward-pass time as a ratio to the baseline `train_grad` (below 1 is faster).
# The grey band is 1 ± resolution and the whiskers are the interquartile range (IQR).
# Green is `faster`, red `slower`, grey `no measurable difference`; blue marks the baseline and the A/A control (`train_grad_again`).

# %%
colours = {"faster": "tab:green", "slower": "tab:red",
           "no measurable difference": "tab:gray"}
for run in runs:
    latency = run["latency"]
    fig, axes = plt.subplots(2, 2, figsize=(9, 8), sharey=True, layout="constrained")
    for ax, (model, result) in zip(axes.flat, latency.items(), strict=True):
        names = [*modes, mode_costs.CONTROL]
        rows = [result["modes"][name] for name in names]
        ratios = [row["ratio"] for row in rows]
        spread = [[r["ratio"] - r["q1"] for r in rows], [r["q3"] - r["ratio"] for r in rows]]
        ax.axvspan(1 - result["resolution"], 1 + result["resolution"], color="0.9")
        ax.axvline(1, color="black", linewidth=0.8)
        ax.barh(names, ratios, xerr=spread,
                color=[colours.get(row["verdict"], "tab:blue") for row in rows])
        ax.set_title(f"{model} (±{result['resolution']:.0%})")
        ax.set_xlabel(TEXT["ratio"])
    axes[0, 0].invert_yaxis()
    fig.suptitle(f"{TEXT['latency']}\n{produced_by(run)}")
    plt.show()


# %% [markdown]
# In the tables, `time per forward` is absolute time on this machine and does not compare across machines.

# %%
for run in runs:
    for model, result in run["latency"].items():
        display(Markdown(f"**{model}**, {produced_by(run)}, "
                         f"resolution ±{result['resolution']:.0%}\n\n"
                         + mode_costs.latency_table(run, model)))


# %% [markdown]
# ## Fastpath
#
# `transformer_layer` is one `nn.TransformerEncoderLayer`. This layer has a fused inference kernel
# (`torch._transformer_encoder_layer_fwd`, which PyTorch's documentation calls the fastpath).
# `TransformerEncoderLayer.forward` (`torch/nn/modules/transformer.py`) uses it only when **all** of these hold:
#
# - eval mode (`training=False`) and no gradient needed: grad mode off (inside `no_grad` / `inference_mode`),
#   or neither the input nor any of the layer's weights requires grad;
# - a batched (3-D) input (a nested tensor only with no mask), `batch_first=True`, a ReLU or GELU activation, an even number of heads,
#   attention with bias and one size for q, k and v, the same `eps` in both LayerNorms;
# - autocast off, no forward hooks (or pre-hooks) on the layer or its submodules;
#   the input and the layer's weights on CPU, CUDA, XPU or the PrivateUse1 device (a backend registered from outside PyTorch),
#   none of them with a `__torch_function__` override (`torch.overrides.has_torch_function`),
#   and `torch.backends.mha.get_fastpath_enabled()` `True` (the default).
#
# The layer on this page meets the second and third conditions, so only eval mode and gradients decide:
# it runs in `eval_no_grad`, `eval_inference_mode` and `eval_frozen`, and not in `eval_grad`
# (`examples/measure/mode_costs.py` asserts this). In a general `TransformerEncoderLayer`, one missing
# condition is enough for eval mode to run the ordinary path.
# The nested-tensor path of a multi-layer `nn.TransformerEncoder` (the one whose padded positions come out as 0)
# needs more (`enable_nested_tensor=True`, `norm_first=False`, a `src_key_padding_mask` and no `mask`,
# a left-aligned mask: each sequence's real tokens first, padding after, among others). This page does not measure that path.
#
# ## Method
#
# Four models, all built in code (nothing is downloaded):
#
# | model | what it is | input |
# |---|---|---|
# | `mlp` | four fully connected layers | 64 × 256 |
# | `cnn_bn_dropout` | two convolutions + BatchNorm + Dropout + a linear layer | 16 × 3 × 32 × 32 |
# | `transformer_layer` | `nn.TransformerEncoderLayer` (`batch_first=True`) | 8 × 64 × 128 |
# | `tiny_mlp` | four 16-wide linear layers: Python and dispatch overhead dominate, not arithmetic | 1 × 16 |
#
# Seven modes. The baseline, `train_grad`, is ordinary training:
#
# | mode | `training` | frozen parameters | input `requires_grad` | run inside |
# |---|---|---|---|---|
# | `train_grad` (baseline) | `True` | none | `False` | nothing |
# | `eval_grad` | `False` | none | `False` | nothing |
# | `eval_no_grad` | `False` | none | `False` | `no_grad()` |
# | `eval_inference_mode` | `False` | none | `False` | `inference_mode()` |
# | `eval_frozen` | `False` | all | `False` | nothing |
# | `train_frozen_input_grad` | `True` | all | `True` | nothing |
# | `train_front_frozen` | `True` | the front of the model (`Case.front`) | `False` | nothing |
#
# `Case.front` is the first two linear layers with their ReLUs in `mlp` and `tiny_mlp`, the first convolution
# with its BatchNorm and ReLU in `cnn_bn_dropout`, and the self-attention (`self_attn`) with its LayerNorm (`norm1`) in `transformer_layer`.
#
# - **Memory**: the tensors autograd keeps for backward during one forward pass, collected with
#   `torch.autograd.graph.saved_tensors_hooks`, each storage counted once.
#   A storage that belongs to a parameter or buffer counts as "parameters + buffers"; everything else
#   (the input included) is "activations". On a GPU, the peak memory allocated during the forward pass
#   (`torch.cuda.max_memory_allocated`) is measured as well.
# - **Speed**: the forward pass only. A block is a fixed short time (`BLOCK_SECONDS` in `examples/measure/mode_costs.py`) of forward passes in one mode.
#   One round runs a block of every mode of every model, in an order shuffled each round
#   (the first round is discarded), so drift in the machine hits every mode alike.
#   Each block is divided by the baseline's block in the same round; over the rounds we report the
#   median ratio, its interquartile range (IQR) and a 95% confidence interval of the median
#   (from order statistics, assuming no distribution).
# - **Clock**: on the CPU the models run on one thread, timed by that thread's CPU time
#   (`time.thread_time`), so time the OS gives to other processes on a shared machine is not counted.
#   On a GPU, wall time after synchronising.
# - **Resolution**: the baseline is timed a second time in every round (`train_grad_again`, an A/A control).
#   How far the control's interval strays from 1 (at least 5%) is that model's resolution.
#   A mode is `faster` or `slower` only when its whole interval lies outside 1 ± resolution;
#   everything else is reported as `no measurable difference`.
#
# ## Environment
#
# The first lines of the page give this run's torch version, device, thread count, clock, number of rounds,
# and when (UTC) and for how long it measured. In a run without a GPU, the last of them says GPU figures are `not measured yet`.
#
# The site's build (`make build`) does not execute this notebook every time. It executes it again only when
# the notebook's source, a file in `examples/measure/`, the torch version, the device (the machine, torch's build,
# the GPUs it can see) or the notebook renderer's settings (the mkdocs-jupyter version and its options in `mkdocs.yml`)
# changed; otherwise it reuses the page drawn by the last execution, stored in
# `.cache/mkdocs-jupyter/executed/` (`hooks/notebooks.py`).
# When it does execute, the measurement itself is reused from `.cache/measure/` while the torch version, device,
# thread count, machine and the hash of `examples/measure/mode_costs.py` are all unchanged; this is why the
# Japanese and English pages show the same measurement. The "measured" date at the top is when the measurement really ran.
#
# ## Limits
#
# - Only the forward pass is measured: no backward pass, optimizer step or data loading.
# - Saved-tensor bytes are not peak memory: temporary buffers, outputs, `.grad` and optimizer state are not counted.
#   Freezing saves mostly `.grad` and optimizer state ([the example on the home page](../#ex-grad-and-optimizer)).
# - These results hold for these four models, these input sizes, this device and this thread count.
#   Larger batches, more threads or a GPU can change the ratios.
# - `no measurable difference` does not prove there is no difference: it means this method cannot resolve one.
# - GPU figures are included only when the last of the first lines names a GPU; otherwise no GPU has been measured yet.
#
# ## Download
#
# This notebook can be downloaded as [measure.py](measure.py) (jupytext's percent format).
# Running it needs this repository and the environment pinned in `requirements.txt`
# (it imports `examples/measure/mode_costs.py`). `jupytext --to notebook measure.py` converts it to `.ipynb`.
