"""What each train/eval and gradient mode costs: memory kept for backward, and latency.

Imported by the notebook pages (docs/*/measure.py) and by tests/test_measure.py. Run
alone, it measures the memory of every mode (deterministic) and asserts the relations.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import math
import os
import platform
import random
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from torch import nn

BASELINE = "train_grad"
CONTROL = "train_grad_again"  # the baseline timed twice: an A/A control
# name: (training, which parameters are frozen, input requires grad, grad context)
MODES = {
    "train_grad": (True, "none", False, "grad"),
    "eval_grad": (False, "none", False, "grad"),
    "eval_no_grad": (False, "none", False, "no_grad"),
    "eval_inference_mode": (False, "none", False, "inference_mode"),
    "eval_frozen": (False, "all", False, "grad"),
    "train_frozen_input_grad": (True, "all", True, "grad"),
    "train_front_frozen": (True, "front", False, "grad"),
}
ROUNDS = 15  # timed rounds; each runs every mode of every model once, in shuffled order
BLOCK_SECONDS = 0.008  # target length of one timed block of forward passes
CPU_THREADS = 1  # one thread: on a shared machine, two threads collapse when busy
RESOLUTION = 0.05  # the smallest difference reported, whatever the control shows


@dataclass
class Case:
    name: str
    model: nn.Module
    x: torch.Tensor
    front: nn.Module  # the first half, frozen by "train_front_frozen"


def build_cases() -> list[Case]:
    torch.manual_seed(0)
    mlp = nn.Sequential(
        nn.Linear(256, 512),
        nn.ReLU(),
        nn.Linear(512, 512),
        nn.ReLU(),
        nn.Linear(512, 512),
        nn.ReLU(),
        nn.Linear(512, 10),
    )
    cnn = nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1),
        nn.BatchNorm2d(16),
        nn.ReLU(),
        nn.Conv2d(16, 32, 3, padding=1),
        nn.BatchNorm2d(32),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Dropout(0.5),
        nn.Linear(32, 10),
    )
    encoder = nn.TransformerEncoderLayer(
        d_model=128, nhead=4, dim_feedforward=256, dropout=0.1, batch_first=True
    )
    tiny = nn.Sequential(
        nn.Linear(16, 16),
        nn.ReLU(),
        nn.Linear(16, 16),
        nn.ReLU(),
        nn.Linear(16, 16),
        nn.ReLU(),
        nn.Linear(16, 16),
    )
    return [
        Case("mlp", mlp, torch.randn(64, 256), mlp[:4]),
        Case("cnn_bn_dropout", cnn, torch.randn(16, 3, 32, 32), cnn[:3]),
        Case(
            "transformer_layer",
            encoder,
            torch.randn(8, 64, 128),
            nn.ModuleList([encoder.self_attn, encoder.norm1]),
        ),
        Case("tiny_mlp", tiny, torch.randn(1, 16), tiny[:4]),
    ]


def configure(
    case: Case, mode: str
) -> tuple[torch.Tensor, contextlib.AbstractContextManager]:
    """Put the model in ``mode``; return the input and the context to run it in."""
    training, frozen, input_grad, context = MODES[mode]
    case.model.train(training)
    case.model.requires_grad_(frozen != "all")
    if frozen == "front":
        case.front.requires_grad_(False)
    x = case.x.detach().requires_grad_(input_grad)
    contexts = {
        "grad": torch.enable_grad,
        "no_grad": torch.no_grad,
        "inference_mode": torch.inference_mode,
    }
    return x, contexts[context]()


@dataclass
class Memory:
    parameter_bytes: int  # saved tensors whose storage is a parameter's or buffer's
    activation_bytes: int  # every other saved storage (the input included)
    peak_bytes: int | None  # CUDA only: peak allocated during the forward
    output_requires_grad: bool
    output_is_inference: bool

    @property
    def saved_bytes(self) -> int:
        return self.parameter_bytes + self.activation_bytes


def measure_memory(case: Case, mode: str) -> Memory:
    """Bytes autograd keeps for backward, each storage counted once."""
    model_storages = {
        t.untyped_storage().data_ptr()
        for t in [*case.model.parameters(), *case.model.buffers()]
    }
    saved: dict[int, int] = {}

    def pack(t: torch.Tensor) -> torch.Tensor:
        storage = t.untyped_storage()
        saved[storage.data_ptr()] = storage.nbytes()
        return t

    x, context = configure(case, mode)
    peak = None
    if x.is_cuda:
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        before = torch.cuda.memory_allocated()
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t), context:
        out = case.model(x)
    if x.is_cuda:
        torch.cuda.synchronize()
        peak = torch.cuda.max_memory_allocated() - before
    parameters = sum(n for ptr, n in saved.items() if ptr in model_storages)
    return Memory(
        parameters,
        sum(saved.values()) - parameters,
        peak,
        out.requires_grad,
        out.is_inference(),
    )


def takes_encoder_fast_path(case: Case, mode: str) -> bool:
    """Whether nn.TransformerEncoderLayer ran its fused inference kernel."""
    calls = []
    original = torch._transformer_encoder_layer_fwd

    def spy(*args, **kwargs):
        calls.append(mode)
        return original(*args, **kwargs)

    torch._transformer_encoder_layer_fwd = spy
    try:
        x, context = configure(case, mode)
        with context:
            case.model(x)
    finally:
        torch._transformer_encoder_layer_fwd = original
    return bool(calls)


def _synchronize(x: torch.Tensor) -> None:
    if not x.is_cpu:
        torch.accelerator.synchronize(x.device)


def clock(x: torch.Tensor) -> Callable[[], float]:
    """With one CPU thread, that thread's CPU time: time the OS gives to other
    processes is not counted. Otherwise wall time (after synchronising a GPU)."""
    if x.is_cpu and torch.get_num_threads() == 1:
        return time.thread_time
    return time.perf_counter


def _block(case: Case, mode: str, calls: int) -> float:
    """Seconds per forward pass over ``calls`` passes, after one untimed pass."""
    x, context = configure(case, mode)
    now = clock(x)
    with context:
        case.model(x)
        _synchronize(x)
        start = now()
        for _ in range(calls):
            case.model(x)
        _synchronize(x)
        return (now() - start) / calls


@dataclass
class Latency:
    seconds: float  # median seconds per forward pass (absolute: device-dependent)
    ratio: float  # median over rounds of (this mode / baseline in the same round)
    q1: float
    q3: float
    ci_low: float  # distribution-free 95% confidence interval of the median ratio
    ci_high: float
    verdict: str


def median_ci(values: list[float]) -> tuple[float, float]:
    """95% interval of the median from order statistics (binomial, no assumptions)."""
    ordered, n = sorted(values), len(values)
    k = 0
    while sum(math.comb(n, i) for i in range(k + 1)) / 2**n <= 0.025:
        k += 1
    return ordered[max(k - 1, 0)], ordered[min(n - k, n - 1)]


def verdict(ci_low: float, ci_high: float, resolution: float) -> str:
    """A difference counts only when the whole interval lies beyond 1 +- resolution."""
    if ci_high < 1 - resolution:
        return "faster"
    if ci_low > 1 + resolution:
        return "slower"
    return "no measurable difference"


def summarise(seconds: list[float], base: list[float], resolution: float) -> Latency:
    ratios = [a / b for a, b in zip(seconds, base, strict=True)]
    q1, _, q3 = statistics.quantiles(ratios, n=4)
    low, high = median_ci(ratios)
    return Latency(
        statistics.median(seconds),
        statistics.median(ratios),
        q1,
        q3,
        low,
        high,
        verdict(low, high, resolution),
    )


def measure_latency(cases: list[Case], rounds: int = ROUNDS) -> dict:
    """Rounds of every (model, mode) in shuffled order; ratios paired within a round.

    CONTROL times the baseline a second time in each round: its interval shows what
    this method cannot tell apart, and sets the resolution (at least RESOLUTION).
    """
    calls = {}
    for case in cases:  # calibrate the block length on the baseline, then warm up
        per_call = min(_block(case, BASELINE, 3) for _ in range(3))
        calls[case.name] = max(1, round(BLOCK_SECONDS / per_call))
    variants = [(case, mode) for case in cases for mode in [*MODES, CONTROL]]
    order = random.Random(0)
    times: dict[tuple[str, str], list[float]] = {}
    for round_ in range(rounds + 1):  # round 0 is a warm-up, not kept
        order.shuffle(variants)
        for case, mode in variants:
            seconds = _block(
                case, BASELINE if mode == CONTROL else mode, calls[case.name]
            )
            if round_:
                times.setdefault((case.name, mode), []).append(seconds)
    result: dict[str, dict[str, dict]] = {}
    for case in cases:
        base = times[(case.name, BASELINE)]
        control = summarise(times[(case.name, CONTROL)], base, RESOLUTION)
        resolution = max(RESOLUTION, 1 - control.ci_low, control.ci_high - 1)
        rows = {CONTROL: asdict(control) | {"verdict": "control"}}
        for mode in MODES:
            row = asdict(summarise(times[(case.name, mode)], base, resolution))
            rows[mode] = row | {"verdict": "baseline"} if mode == BASELINE else row
        raw = {mode: times[(case.name, mode)] for mode in [*MODES, CONTROL]}
        result[case.name] = {"resolution": resolution, "modes": rows, "seconds": raw}
    return result


def compare(latency: dict, model: str, mode: str, reference: str) -> Latency:
    """``mode`` against ``reference`` (not the baseline), paired by round."""
    seconds = latency[model]["seconds"]
    return summarise(seconds[mode], seconds[reference], latency[model]["resolution"])


def _is_cpu(device: torch.device) -> bool:
    return torch.empty(0, device=device).is_cpu


def environment(device: torch.device) -> dict:
    if torch.empty(0, device=device).is_cuda:
        name = torch.cuda.get_device_name(device)
    else:
        name = platform.processor() or platform.machine()
    return {
        "torch": torch.__version__,
        "device": str(device),
        "device_name": name,
        "gpu": not _is_cpu(device),
        "threads": torch.get_num_threads(),
        "clock": clock(torch.empty(0, device=device)).__name__,
        "rounds": ROUNDS,
    }


@contextlib.contextmanager
def _threads(device: torch.device) -> Iterator[None]:
    """CPU_THREADS on the CPU; an accelerator keeps torch's default."""
    saved = torch.get_num_threads()
    if _is_cpu(device):
        torch.set_num_threads(CPU_THREADS)
    try:
        yield
    finally:
        torch.set_num_threads(saved)


def devices() -> list[torch.device]:
    """The default device, and the accelerator (a GPU) when there is one."""
    found = [torch.get_default_device()]
    accelerator = torch.accelerator.current_accelerator(check_available=True)
    if accelerator is not None and accelerator.type != found[0].type:
        found.append(accelerator)
    return found


def measure(device: torch.device) -> dict:
    """Memory and latency of every mode of every model, on ``device``."""
    start = time.perf_counter()
    with torch.device(device), _threads(device):
        cases = build_cases()
        memory = {
            case.name: {mode: asdict(measure_memory(case, mode)) for mode in MODES}
            for case in cases
        }
        latency = measure_latency(cases)
        env = environment(device)
    env["seconds"] = round(time.perf_counter() - start, 1)
    env["measured_at"] = datetime.datetime.now(datetime.UTC).strftime(
        "%Y-%m-%d %H:%M UTC"
    )
    return {"environment": env, "memory": memory, "latency": latency}


def cache_key(device: torch.device) -> str:
    """Changes with torch, the device, the threads, the machine and this file."""
    with _threads(device):
        threads = torch.get_num_threads()
    fields = [
        torch.__version__,
        str(device),
        environment(device)["device_name"],
        str(threads),
        platform.node(),
        hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
    ]
    return hashlib.sha256("\n".join(fields).encode()).hexdigest()[:24]


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path``: two builds running at once (both languages)
    measure once, the second waits for the first and reads its result."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        try:
            import fcntl
        except ImportError:  # Windows: no lock; at worst both measure
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def measure_cached(device: torch.device, cache_dir: Path) -> dict:
    """``measure(device)``, reused while the cache key is unchanged (never stale)."""
    path = Path(cache_dir) / f"{cache_key(device)}.json"
    with _locked(path.with_suffix(".lock")):
        if path.is_file():
            results = json.loads(path.read_text(encoding="utf-8"))
            results["environment"]["from_cache"] = True
            return results
        results = measure(device)
        results["environment"]["from_cache"] = False
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(results, indent=1), encoding="utf-8")
        temporary.replace(path)
    return results


def _kib(n: int) -> str:
    return f"{n / 1024:,.1f}"


def memory_table(run: dict) -> str:
    """Markdown: KiB kept for backward (total) per mode (rows) and model (columns)."""
    memory = run["memory"]
    models = list(memory)
    lines = [
        "| mode | " + " | ".join(f"`{m}`" for m in models) + " |",
        "|---|" + "---:|" * len(models),
    ]
    for mode in MODES:
        cells = []
        for model in models:
            m = memory[model][mode]
            cells.append(_kib(m["parameter_bytes"] + m["activation_bytes"]))
        lines.append(f"| `{mode}` | " + " | ".join(cells) + " |")
    if any(m["peak_bytes"] is not None for d in memory.values() for m in d.values()):
        for mode in MODES:
            peaks = [_kib(memory[model][mode]["peak_bytes"]) for model in models]
            lines.append(f"| peak: `{mode}` | " + " | ".join(peaks) + " |")
    return "\n".join(lines)


def latency_table(run: dict, model: str) -> str:
    """Markdown: each mode's time relative to the baseline, with spread and verdict."""
    latency = run["latency"][model]
    lines = [
        "| mode | median ratio | IQR | 95% CI of median | verdict | time per forward |",
        "|---|---:|---:|---:|---|---:|",
    ]
    for mode in [*MODES, CONTROL]:
        r = latency["modes"][mode]
        spread = f"{r['q1']:.2f}-{r['q3']:.2f}"
        ci = f"{r['ci_low']:.2f}-{r['ci_high']:.2f}"
        if mode == BASELINE:
            spread = ci = "-"
        lines.append(
            f"| `{mode}` | {r['ratio']:.2f} | {spread} | {ci} | {r['verdict']} "
            f"| {r['seconds'] * 1e6:,.0f} µs |"
        )
    return "\n".join(lines)


FINDINGS = {
    "en": {
        "zero": "0 bytes kept for backward in every model: {}",
        "same": "`eval_grad` keeps as much as `train_grad`: {}",
        "less": "`eval_grad` keeps less than `train_grad`: {}",
        "inference": "returns an inference tensor (`Tensor.is_inference()`) in every model: {}",
        "speed": "`{}` (resolution ±{:.0%}): faster than `train_grad`: {}; slower: {}",
        "pair": "`{}`: `eval_inference_mode` / `eval_no_grad` = {:.2f} (95% CI {:.2f}–{:.2f}): {}",
        "none": "none",
    },
    "ja": {
        "zero": "どのモデルでも逆伝播用に保持するのが 0 バイト: {}",
        "same": "`eval_grad` の保持が `train_grad` と同じ: {}",
        "less": "`eval_grad` の保持が `train_grad` より少ない: {}",
        "inference": "どのモデルでも推論テンソル(`Tensor.is_inference()`)を出力する: {}",
        "speed": "`{}`(分解能 ±{:.0%}): `train_grad` より速い: {}。遅い: {}",
        "pair": "`{}`: `eval_inference_mode` / `eval_no_grad` = {:.2f}(95% 信頼区間 {:.2f}–{:.2f}): {}",
        "none": "なし",
    },
}


def findings(run: dict, language: str = "en") -> list[str]:
    """Statements computed from this run, true whatever the numbers are (Markdown)."""
    text = FINDINGS[language]
    memory, latency = run["memory"], run["latency"]
    models = list(memory)

    def saved(model: str, mode: str) -> int:
        m = memory[model][mode]
        return m["parameter_bytes"] + m["activation_bytes"]

    def listed(items: list[str]) -> str:
        return ", ".join(items) or text["none"]

    zero = [f"`{m}`" for m in MODES if all(saved(model, m) == 0 for model in models)]
    same = [f"`{m}`" for m in models if saved(m, "eval_grad") == saved(m, BASELINE)]
    less = [
        f"`{m}` ({_kib(saved(m, 'eval_grad') - saved(m, BASELINE))} KiB, "
        f"{saved(m, 'eval_grad') / saved(m, BASELINE) - 1:+.2%})"
        for m in models
        if saved(m, "eval_grad") < saved(m, BASELINE)
    ]
    inference = [
        f"`{m}`"
        for m in MODES
        if all(memory[model][m]["output_is_inference"] for model in models)
    ]
    out = [
        text["zero"].format(listed(zero)),
        text["inference"].format(listed(inference)),
        text["same"].format(listed(same)),
        text["less"].format(listed(less)),
    ]
    for model in models:
        rows = latency[model]["modes"]
        by_verdict = {
            verdict: [
                f"`{m}` {rows[m]['ratio']:.2f}"
                for m in MODES
                if rows[m]["verdict"] == verdict
            ]
            for verdict in ("faster", "slower")
        }
        out.append(
            text["speed"].format(
                model,
                latency[model]["resolution"],
                listed(by_verdict["faster"]),
                listed(by_verdict["slower"]),
            )
        )
    for model in models:
        pair = compare(latency, model, "eval_inference_mode", "eval_no_grad")
        out.append(
            text["pair"].format(
                model, pair.ratio, pair.ci_low, pair.ci_high, pair.verdict
            )
        )
    return out


if __name__ == "__main__":
    torch.manual_seed(0)
    cases = build_cases()
    no_graph = ["eval_no_grad", "eval_inference_mode", "eval_frozen"]
    for case in cases:
        memory = {mode: measure_memory(case, mode) for mode in MODES}
        base = memory[BASELINE]
        assert all(memory[mode].saved_bytes == 0 for mode in no_graph)
        assert all(not memory[mode].output_requires_grad for mode in no_graph)
        assert [m for m in MODES if memory[m].output_is_inference] == [
            "eval_inference_mode"
        ]
        assert memory["eval_grad"].saved_bytes <= base.saved_bytes
        assert 0 < memory["train_front_frozen"].saved_bytes < base.saved_bytes
        assert memory["train_frozen_input_grad"].saved_bytes > 0
    print("0 bytes saved in every model:", ", ".join(no_graph))
    #> 0 bytes saved in every model: eval_no_grad, eval_inference_mode, eval_frozen
    mlp = cases[0]
    eval_grad, base = measure_memory(mlp, "eval_grad"), measure_memory(mlp, BASELINE)
    assert eval_grad == base  # no layer of the MLP reads `training`
    frozen = measure_memory(mlp, "train_frozen_input_grad")
    assert frozen.parameter_bytes > base.parameter_bytes  # weights pass the gradient on
    assert frozen.activation_bytes < base.activation_bytes  # no weight gradients
    encoder = cases[2]
    fast = [mode for mode in MODES if takes_encoder_fast_path(encoder, mode)]
    assert fast == no_graph
    print("encoder fast path in:", ", ".join(fast))
    #> encoder fast path in: eval_no_grad, eval_inference_mode, eval_frozen
