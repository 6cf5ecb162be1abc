# ---
# jupyter:
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
# `torch.inference_mode()` and freezing (`requires_grad=False`) save? This page measures it at every build.
# Every table, chart and conclusion below is the output of a code cell; the text contains no measured numbers.
# What each switch does is in [the comparison table](../#comparison) on the home page.
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
# | mode | `training` | parameters with `requires_grad=False` | input `requires_grad` | run inside |
# |---|---|---|---|---|
# | `train_grad` (baseline) | `True` | none | `False` | nothing |
# | `eval_grad` | `False` | none | `False` | nothing |
# | `eval_no_grad` | `False` | none | `False` | `torch.no_grad()` |
# | `eval_inference_mode` | `False` | none | `False` | `torch.inference_mode()` |
# | `eval_frozen` | `False` | all | `False` | nothing |
# | `train_frozen_input_grad` | `True` | all | `True` | nothing |
# | `train_front_frozen` | `True` | the first half of the layers | `False` | nothing |
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
# The cell below prints this run's torch version, device, thread count, clock, number of rounds and
# how long the measurement took. Results are stored in `.cache/measure/` and reused only while the
# torch version, device, thread count, machine and the hash of the measuring module's source
# (`examples/measure/mode_costs.py`) are all unchanged; this is why the Japanese and English pages
# show the same measurement. In a run without a GPU, the last line says GPU figures are `not measured yet`.


# %%
import sys
from pathlib import Path

import matplotlib.pyplot as plt
from IPython.display import Markdown, display

here = Path.cwd().resolve()
root = next(p for p in [here, *here.parents] if (p / "examples/measure").is_dir())
sys.path.insert(0, str(root / "examples/measure"))
import mode_costs  # noqa: E402  (examples/measure/mode_costs.py)

cache = root / ".cache/measure"
runs = [mode_costs.measure_cached(device, cache) for device in mode_costs.devices()]
for run in runs:
    env = run["environment"]
    how = "reused from .cache/measure" if env["from_cache"] else "measured in this build"
    print(
        f"torch {env['torch']} | device {env['device']} ({env['device_name']}) | "
        f"{env['threads']} thread(s) | clock {env['clock']} | {env['rounds']} rounds | "
        f"{env['seconds']} s, {how}"
    )
gpus = [run["environment"]["device_name"] for run in runs if run["environment"]["gpu"]]
print("GPU:", ", ".join(gpus) if gpus else "not measured yet (no GPU in this run)")


# %% [markdown]
# ## Memory
#
# Each cell is in KiB: total (parameters + buffers + activations).
# The last column says whether the output is an inference tensor (`Tensor.is_inference()`).


# %%
for run in runs:
    display(Markdown(f"**{run['environment']['device']}**, KiB kept for backward: "
                     "total (parameters and buffers + activations)"))
    display(Markdown(mode_costs.memory_table(run)))


# %%
modes = list(mode_costs.MODES)
for run in runs:
    memory = run["memory"]
    fig, axes = plt.subplots(1, len(memory), figsize=(13, 3.4), sharey=True)
    for ax, (model, rows) in zip(axes, memory.items(), strict=True):
        weights = [rows[mode]["parameter_bytes"] / 1024 for mode in modes]
        activations = [rows[mode]["activation_bytes"] / 1024 for mode in modes]
        ax.barh(modes, weights, label="parameters + buffers")
        ax.barh(modes, activations, left=weights, label="activations")
        for row, (w, a) in enumerate(zip(weights, activations, strict=True)):
            if w + a == 0:
                ax.text(0, row, " 0", va="center")
        ax.set_title(model)
        ax.set_xlabel("KiB kept for backward")
    axes[0].invert_yaxis()
    fig.legend(*axes[0].get_legend_handles_labels(), loc="upper right", fontsize="small")
    fig.suptitle(f"Saved tensors per mode ({run['environment']['device']})")
    fig.tight_layout()
    plt.show()


# %% [markdown]
# These relations hold in every run; running `examples/measure/mode_costs.py` alone and the tests in
# `tests/test_measure.py` check them with `assert`:
#
# - `eval_no_grad`, `eval_inference_mode` and `eval_frozen` (with an input that needs no grad) keep 0 bytes, in every model.
# - `eval_grad` keeps no more than `train_grad`: exactly the same in `mlp`, where no layer reads `training`,
#   and less in the models with Dropout (in eval mode Dropout is the identity and keeps nothing).
# - `train_front_frozen` keeps more than 0 and less than `train_grad`: the frozen front's activations are not kept.
# - `train_frozen_input_grad` keeps tensors although every parameter is frozen: to pass the gradient on to
#   the input it keeps the weights. In `mlp` it keeps more weights than `train_grad`, and none of the
#   layer inputs that only weight gradients need.
# - Only `eval_inference_mode` returns an inference tensor.


# %% [markdown]
# ## Latency
#
# Each table gives forward-pass time as a ratio to the baseline `train_grad` (below 1 is faster).
# `time per forward` is absolute time on this machine and does not compare across machines.


# %%
for run in runs:
    for model, result in run["latency"].items():
        display(Markdown(f"**{model}** on {run['environment']['device']}, "
                         f"resolution +-{result['resolution']:.0%}"))
        display(Markdown(mode_costs.latency_table(run, model)))


# %% [markdown]
# In the charts, the grey band is 1 ± resolution and the whiskers are the IQR.
# Green is `faster`, red `slower`, grey `no measurable difference`; blue marks the baseline and the A/A control.


# %%
colours = {"faster": "tab:green", "slower": "tab:red",
           "no measurable difference": "tab:gray"}
for run in runs:
    latency = run["latency"]
    fig, axes = plt.subplots(1, len(latency), figsize=(13, 3.6), sharey=True)
    for ax, (model, result) in zip(axes, latency.items(), strict=True):
        names = [*modes, mode_costs.CONTROL]
        rows = [result["modes"][name] for name in names]
        ratios = [row["ratio"] for row in rows]
        spread = [[r["ratio"] - r["q1"] for r in rows], [r["q3"] - r["ratio"] for r in rows]]
        ax.axvspan(1 - result["resolution"], 1 + result["resolution"], color="0.9")
        ax.axvline(1, color="black", linewidth=0.8)
        ax.barh(names, ratios, xerr=spread,
                color=[colours.get(row["verdict"], "tab:blue") for row in rows])
        ax.set_title(model)
        ax.set_xlabel("time / train_grad (median, IQR)")
    axes[0].invert_yaxis()
    fig.suptitle(f"Forward-pass time relative to train_grad ({run['environment']['device']})")
    fig.tight_layout()
    plt.show()


# %% [markdown]
# ## Findings
#
# The code writes the statements below from this run's results; if the results change, so do they.
# `faster` / `slower` mean a difference beyond the resolution; `no measurable difference` means the
# difference, if any, is below it. The last four lines compare `eval_inference_mode` with `eval_no_grad`
# directly, round by round.


# %%
for run in runs:
    print(f"[{run['environment']['device']}]")
    for line in mode_costs.findings(run):
        print("-", line)


# %% [markdown]
# `transformer_layer` has a fused inference kernel, which PyTorch's documentation of
# `nn.TransformerEncoderLayer` calls the fastpath. It is used in eval mode when no gradient is needed
# (inside `no_grad` / `inference_mode`, or when neither the input nor any parameter requires grad).
# Among this page's modes it runs in `eval_no_grad`, `eval_inference_mode` and `eval_frozen`, and not in
# `eval_grad` (`examples/measure/mode_costs.py` asserts this).
#
# ## Limits
#
# - Only the forward pass is timed: no backward pass, no optimizer, no data loading.
# - Bytes of saved tensors are not peak memory: temporary buffers, outputs, `.grad` and optimizer state
#   are not in them. Freezing mainly saves `.grad` and optimizer state
#   ([example on the home page](../#ex-grad-and-optimizer)).
# - The figures hold for these four models, these input sizes, this device and this thread count.
#   Larger batches, more threads or a GPU can change the ratios.
# - `no measurable difference` does not prove that there is no difference: it means this method cannot resolve one.
# - GPU figures appear only when the environment's last line names a GPU; otherwise the GPU has not been measured yet.
#
# ## Download
#
# The button at the top of the page downloads this notebook (a jupytext percent-format `.py` file).
# It runs inside this repository, in the environment pinned by `requirements.txt`, because it imports
# `examples/measure/mode_costs.py`. `jupytext --to notebook measure.py` turns it into an `.ipynb`.
