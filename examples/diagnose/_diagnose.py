"""Check your own model: which switch is set where, and where the gradient stops.

One file, torch only: copy it next to your code. It names no device; it runs where the
model's parameters are, and puts back what it changes (buffers, .grad, the RNG).

- report(model, optimizer=None): the modes, the mode-dependent layers, the trainable and
  frozen parameters, grad mode and inference mode (``state``), and ``findings``: what is
  wrong for the mode the model is in, or whatever it does next.
- where_grad_stops(model, *inputs, loss_fn=None, **kwargs): one forward (and one
  backward), watching every op: where the output, or a trainable parameter, loses its
  gradient, and why.
- check_loss(loss): a loss whose requires_grad was set by hand, that has no graph, or
  that holds graphs an earlier backward() freed.
- check_eval_ready(model, *inputs) and check_trainable(model, optimizer, ...): call them
  where evaluation or training runs; assert_eval_ready and assert_trainable raise an
  AssertionError with their findings, for your tests.

Each finding is one line, "code: where: what (see page/#section)", and FINDINGS lists
them all. The section is on the guide this file comes from, where an example proves it;
both languages of the guide have the same paths. Set SITE to get full links.
"""

from __future__ import annotations

import builtins
import copy
import dataclasses
import dis
import inspect
import os
import sys
import types
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator

import torch
from torch import nn
from torch.nn.modules.module import (
    register_module_forward_hook,
    register_module_forward_pre_hook,
)
from torch.overrides import TorchFunctionMode
from torch.utils.weak import WeakIdKeyDictionary

SITE = ""  # the guide's address, e.g. "https://<owner>.github.io/<repo>/en/"

# code: (the section of the guide that proves it, what the finding says)
FINDINGS = {
    # report() and check_trainable(); check_eval_ready() keeps those that change outputs
    "frozen-batchnorm-training": (
        "pitfalls/#batchnorm-requires-grad",
        "in training mode in a frozen part: its running statistics still move",
    ),
    "frozen-stale-grad": (
        "requires-grad/#ex-freeze-between-backward-and-step",
        "{params} frozen while holding a .grad: {optimizer}.step() applies it",
    ),
    "frozen-moved-by-step": (
        "pitfalls/#frozen-moved-by-optimizer",
        "{params} frozen with a zero .grad, yet {optimizer}.step() changes {params} "
        "({why})",
    ),
    "frozen-grad": (
        "requires-grad/#none-vs-zero",
        "{params} frozen while holding a .grad: an optimizer that holds a parameter "
        "applies its .grad (pass the optimizer to check)",
    ),
    "frozen-optimizer-state": (
        "requires-grad/#ex-freeze-after-step",
        "{params} frozen, but {optimizer} keeps state for {params}: memory, and a "
        "stale state if unfrozen",
    ),
    "not-in-optimizer": (
        "requires-grad/#optimizer",
        "{params} trainable, but not in {optimizer}: never updated",
    ),
    "plain-container": (
        "diagnose/#plain-containers",
        "a plain container holds {modules}: eval(), requires_grad_(), parameters(), "
        "to() and state_dict() do not reach them; use nn.ModuleList or nn.ModuleDict",
    ),
    "inference-parameter": (
        "pitfalls/#inference-module-no-grad",
        "{params} are inference tensors (made under inference_mode): in-place updates "
        "fail, and views lose the gradient",
    ),
    "computed-parameter": (
        "pitfalls/#ema-without-no-grad",
        "{params} have a grad_fn ({grad_fn}): changed in place outside no_grad, now "
        "computed from other tensors",
    ),
    "module-requires-grad": (
        "requires-grad/#ex-module-attribute",
        "module.requires_grad = ... made a plain attribute: it freezes nothing "
        "(requires_grad_(False) does)",
    ),
    "functional-dropout": (
        "pitfalls/#functional-dropout",
        "forward calls {function}() (itself, or in a method of its class) without "
        "reading self.training: eval() does not switch it off",
    ),
    "cannot-judge": ("diagnose/#cannot-judge", "{why}"),
    # check_eval_ready(); report() too, for a model in eval mode
    "training-layers": ("pitfalls/#forgot-eval", "still in training mode: {layers}"),
    "grad-mode-on": (
        "pitfalls/#forgot-no-grad",
        "grad mode is on: each forward records a graph and keeps tensors for backward "
        "(use no_grad or inference_mode)",
    ),
    "random-in-eval": (
        "pitfalls/#functional-dropout",
        "two forwards of the same input in eval mode differ from this module on: "
        "something random, or state the forward keeps between calls",
    ),
    # check_trainable(); report() too (eval-layers), for a model in training mode
    "eval-layers": (
        "train-eval/#ex-eval-still-trains",
        "in eval mode in a part that trains: {layers}",
    ),
    "grad-mode-off": (
        "pitfalls/#set-grad-enabled-plain",
        "grad mode is off: nothing is recorded (inside no_grad, or a "
        "set_grad_enabled(False) left on)",
    ),
    "inference-mode-on": (
        "inference-mode/#restrictions",
        "inference mode is on: nothing is recorded, and every result is an inference "
        "tensor",
    ),
    "expected-trainable": (
        "requires-grad/#recipe-trainable-summary",
        "{params} frozen, expected trainable",
    ),
    "expected-frozen": (
        "requires-grad/#recipe-trainable-summary",
        "{params} trainable, expected frozen",
    ),
    # where_grad_stops(); {lost} is "N trainable parameter(s) get no gradient (...)"
    "nothing-requires-grad": (
        "requires-grad/#ex-recording-rule",
        "nothing in this forward requires grad: no input does, and each parameter it "
        "uses is frozen",
    ),
    "no-grad-inside": (
        "grad-mode/#what-it-is",
        "{lost}: {function} ran with grad mode off inside the forward (torch.no_grad "
        "or set_grad_enabled(False))",
    ),
    "inference-mode-inside": (
        "inference-mode/#inference-tensors",
        "{lost}: {function} ran under inference_mode inside the forward",
    ),
    "detach": ("detach/#three-ways", "{lost}: .detach() cuts them off here"),
    "data": ("detach/#data", "{lost}: .data cuts them off here"),
    "data-used": (
        "detach/#data",
        ".data on a tensor that requires grad: autograd does not see what is done "
        "through it (in-place changes give wrong gradients)",
    ),
    "not-differentiable": (
        "requires-grad/#ex-recording-rule",
        "{lost}: {function} returns {result}, through which no gradient flows",
    ),
    "cut": (
        "diagnose/#ex-graph-cuts",
        "{lost}: {function} returns a tensor without a gradient",
    ),
    "reentrant-checkpoint": (
        "training-stack/#checkpoint",
        "{lost}: torch.utils.checkpoint(use_reentrant=True) runs them with grad mode "
        "off, and none of its inputs requires grad",
    ),
    "function-grad-off": (
        "training-stack/#checkpoint",
        "{lost}: autograd.Function {function} runs them with grad mode off, and none "
        "of its inputs requires grad",
    ),
    "requires-grad-set-by-hand": (
        "diagnose/#requires-grad-trap",
        "requires_grad was set by hand on {what}, after the graph was cut: the error "
        "goes away, but {before}",
    ),
    "function-backward": (
        "diagnose/#ex-graph-cuts",
        "{lost}: autograd.Function {function} takes inputs that require grad, but its "
        "backward gives them no gradient",
    ),
    "zero-grad": ("diagnose/#ex-zero-grad", "{lost}: {why}"),
    "not-in-output": (
        "diagnose/#ex-graph-cuts",
        "{lost}: the output does not depend on them",
    ),
    "unused-parameters": (
        "diagnose/#ex-graph-cuts",
        "{lost}: this forward does not use them",
    ),
    "inference-tensor-saved": (
        "pitfalls/#inference-tensor-backward",
        "{function} raised {error}: its argument {index} is an inference tensor (made "
        "under inference_mode); clone() it, or make it under no_grad",
    ),
    "forward-raised": ("errors/", "{function} raised {error}"),
    # check_loss()
    "no-graph": (
        "errors/#grad-mode",
        "does not require grad: backward() raises 'element 0 of tensors does not "
        "require grad'; find the cut with where_grad_stops",
    ),
    "freed-graph": (
        "pitfalls/#accumulating-loss",
        "its graph holds {count} node(s) whose saved tensors an earlier backward() "
        "freed: it was built across steps (total += loss); log loss.item()",
    ),
}


@dataclasses.dataclass(frozen=True)
class Finding:
    code: str  # a key of FINDINGS
    where: str  # a module, a parameter, "this thread", "loss"
    message: str

    def __str__(self) -> str:
        link = FINDINGS[self.code][0]
        return f"{self.code}: {self.where}: {self.message} (see {SITE}{link})"


def _found(code: str, where: str, **fields: object) -> Finding:
    return Finding(code, where, FINDINGS[code][1].format(**fields))


class Findings(list):
    """Findings, one line each; an empty list means nothing was found."""

    def __str__(self) -> str:
        return "\n".join(map(str, self)) or "no findings"

    def __add__(self, other: list) -> Findings:
        return Findings([*self, *other])

    @property
    def codes(self) -> list[str]:
        return [finding.code for finding in self]


@dataclasses.dataclass
class Report:
    state: list[str]  # what is set, one line each: not a problem in itself
    findings: Findings  # what is wrong in this mode, or whatever comes next

    def __str__(self) -> str:
        return "\n".join([*self.state, "findings:", str(self.findings)])


# --- Reading the model -------------------------------------------------------------------

_DROPOUTS = (
    nn.Dropout,
    nn.Dropout1d,
    nn.Dropout2d,
    nn.Dropout3d,
    nn.AlphaDropout,
    nn.FeatureAlphaDropout,
)
_NORMS = (
    nn.BatchNorm1d,
    nn.BatchNorm2d,
    nn.BatchNorm3d,
    nn.SyncBatchNorm,
    nn.InstanceNorm1d,
    nn.InstanceNorm2d,
    nn.InstanceNorm3d,
)
_RANDOM_FUNCTIONS = {  # random unless training=False: their `training` defaults to True
    nn.functional.dropout,
    nn.functional.dropout1d,
    nn.functional.dropout2d,
    nn.functional.dropout3d,
}


def _code_objects(function: object) -> Iterator[tuple[object, dict]]:
    """The code objects of ``function`` (its wrappers and nested functions included),
    each with the globals it reads."""
    if isinstance(function, staticmethod | classmethod):
        function = function.__func__
    while function is not None:
        code = getattr(function, "__code__", None)
        if code is not None:
            stack = [code]
            while stack:
                current = stack.pop()
                yield current, getattr(function, "__globals__", {})
                stack += [c for c in current.co_consts if hasattr(c, "co_names")]
        function = getattr(function, "__wrapped__", None)


def _code_names(function: object) -> set[str] | None:
    """The global and attribute names that ``function`` uses; None when it has no
    Python code."""
    codes = list(_code_objects(function))
    return set().union(*(c.co_names for c, _ in codes)) if codes else None


def _loaded(function: object) -> list[object]:
    """What ``function`` loads from a global name, through modules only:
    ``F.dropout``, ``torch.nn.functional.dropout``, ``dropout`` imported by name; not
    ``self.dropout`` nor ``self.config.dropout``."""
    found = []
    for code, scope in _code_objects(function):
        current: object = None
        for instruction in dis.get_instructions(code):
            name = instruction.argval
            if instruction.opname == "LOAD_GLOBAL":
                current = scope.get(name, getattr(builtins, name, None))
            elif instruction.opname in ("LOAD_ATTR", "LOAD_METHOD") and isinstance(
                current, types.ModuleType
            ):
                current = getattr(current, name, None)
            else:
                current = None
            if current is not None:
                found.append(current)
    return found


def _own_methods(module: nn.Module) -> list[object]:
    """``forward``, and the methods of the module's own class that its code names
    (one level): a helper that reads self.training or calls F.dropout counts."""
    forward = inspect.getattr_static(type(module), "forward", None)
    methods = [forward]
    for name in sorted(_code_names(forward) or ()):
        method = inspect.getattr_static(type(module), name, None)
        function = getattr(method, "__func__", method)
        if (
            name != "forward"
            and inspect.isfunction(function)
            and not getattr(function, "__module__", "").startswith("torch.")
        ):
            methods.append(method)
    return methods


def _forward_names(module: nn.Module) -> set[str] | None:
    """The names used by ``forward`` and the methods of its class that it calls."""
    names = [_code_names(method) for method in _own_methods(module)]
    return None if names[0] is None else set().union(*names)


def _from_torch(module: nn.Module) -> bool:
    return type(module).__module__.startswith("torch.")


def _mode_dependence(module: nn.Module) -> str | None:
    """What the mode changes in ``module``; None when nothing this file knows of."""
    if isinstance(module, _DROPOUTS):
        return f"p={module.p}" if module.p > 0 else None
    if isinstance(module, _NORMS):
        return "running statistics" if module.track_running_stats else None
    if isinstance(
        module,
        nn.MultiheadAttention | nn.TransformerEncoderLayer | nn.TransformerEncoder,
    ):
        return "dropout, fastpath in eval"
    if isinstance(module, nn.TransformerDecoderLayer):
        return "dropout"
    if isinstance(module, nn.RNNBase):
        between = module.dropout > 0 and module.num_layers > 1
        return "dropout between layers" if between else None
    if isinstance(module, nn.RReLU):
        return "random slope"
    if not _from_torch(module) and "training" in (_forward_names(module) or ()):
        return "reads self.training"
    return None


def _walk(value: object, path: str, depth: int = 3) -> Iterator[tuple[str, object]]:
    """The items of plain lists, tuples, sets and dicts, with paths like ``blocks[0]``."""
    if depth == 0:
        return
    if isinstance(value, dict):
        items: Iterable = ((f"{path}[{key!r}]", item) for key, item in value.items())
    elif isinstance(value, list | tuple | set | frozenset):
        items = ((f"{path}[{index}]", item) for index, item in enumerate(value))
    else:
        return
    for count, (item_path, item) in enumerate(items):
        if count == 10_000:
            return
        yield item_path, item
        yield from _walk(item, item_path, depth - 1)


def _names(model: nn.Module) -> dict[nn.Module, str]:
    """Every module and its qualified name ("" for the root), including modules kept
    in plain lists, tuples and dicts (``blocks[0]``), which Module methods never reach."""
    names = {module: name for name, module in model.named_modules()}
    owners = list(names)
    while owners:
        owner = owners.pop(0)
        prefix = f"{names[owner]}." if names[owner] else ""
        for attribute, value in vars(owner).items():
            if attribute in ("_modules", "_parameters", "_buffers"):
                continue
            for path, item in _walk(value, prefix + attribute):
                if isinstance(item, nn.Module) and item not in names:
                    for sub_name, sub in item.named_modules(prefix=path):
                        if sub not in names:
                            names[sub] = sub_name
                            owners.append(sub)
    return names


def _joined(module: str, short: str) -> str:
    return f"{module}.{short}" if module else short


def _label(name: str, model: nn.Module, module: nn.Module | None = None) -> str:
    """How findings name a module: ``backbone.1 (BatchNorm1d)``; the root: its class."""
    if not name:
        return type(model).__name__
    if module is None:
        try:
            module = model.get_submodule(name)
        except AttributeError:  # a module in a plain container
            return name
    return f"{name} ({type(module).__name__})"


def _frozen_parts(names: dict[nn.Module, str]) -> set[str]:
    """The names of the modules that have parameters, all of them frozen."""
    frozen = set()
    for module, name in names.items():
        flags = [p.requires_grad for p in module.parameters()]
        if flags and not any(flags):
            frozen.add(name)
    return frozen


def _in_frozen_part(name: str, frozen: set[str]) -> bool:
    """Whether the module ``name`` or one of its ancestors is a frozen part."""
    while name not in frozen:
        if not name:
            return False
        name = name.rpartition(".")[0]
    return True


def _within(name: str, part: str) -> bool:
    """Whether the module ``name`` is below the module ``part`` ("" is the root)."""
    return name != part and (not part or name.startswith(f"{part}."))


def _listing(names: list[str], limit: int = 3) -> str:
    more = len(names) - limit
    return ", ".join(names[:limit]) + (f" and {more} more" if more > 0 else "")


def _mode(module: nn.Module) -> str:
    return "training" if module.training else "eval"


def _per_module(model: nn.Module, code: str, names: list[str], **fields) -> list:
    """One finding per module, naming its parameters: ``{params}`` in the text."""
    groups: dict[str, list[str]] = defaultdict(list)
    for name in names:
        module, _, short = name.rpartition(".")
        groups[module].append(short)
    return [
        _found(code, _label(module, model), params=", ".join(shorts), **fields)
        for module, shorts in groups.items()
    ]


# --- report() ----------------------------------------------------------------------------


def _parameter_lines(model: nn.Module) -> list[str]:
    rows, seen = ["parameters:"], set()
    parts = [("(own)", list(model._parameters.values()))]
    parts += [
        (name, list(child.parameters())) for name, child in model.named_children()
    ]
    for name, parameters in parts:
        totals = {True: [0, 0], False: [0, 0]}
        for p in parameters:
            if p is not None and id(p) not in seen:
                seen.add(id(p))
                totals[p.requires_grad][0] += p.numel()
                totals[p.requires_grad][1] += p.numel() * p.element_size()
        (trained, trained_bytes), (frozen, frozen_bytes) = totals[True], totals[False]
        if trained or frozen:
            rows.append(
                f"  {name}: trainable {trained:,} ({trained_bytes:,} bytes), "
                f"frozen {frozen:,} ({frozen_bytes:,} bytes)"
            )
    return rows


def _step_moves(optimizer: torch.optim.Optimizer, p: torch.Tensor) -> bool:
    """Whether ``optimizer.step()`` changes ``p``: one step of a copy of the optimizer,
    on a copy of ``p`` with a copy of its gradient and of its state."""
    twin = object.__new__(type(optimizer))
    twin.__dict__.update(optimizer.__dict__)
    twin.__dict__.pop("step", None)  # the wrapper an LR scheduler puts on the instance
    for hooks in [k for k in vars(twin) if k.startswith("_optimizer_") and "hook" in k]:
        setattr(twin, hooks, OrderedDict())
    clone = p.detach().clone()
    clone.grad = p.grad.detach().clone()
    group = next(g for g in optimizer.param_groups if any(q is p for q in g["params"]))
    twin.param_groups = [{**group, "params": [clone]}]
    twin.state = defaultdict(dict, {clone: copy.deepcopy(optimizer.state.get(p, {}))})
    type(twin).step(twin)
    return not torch.equal(clone, p.detach())


def _why_step_moves(optimizer: torch.optim.Optimizer, p: torch.Tensor) -> str:
    group = next(g for g in optimizer.param_groups if any(q is p for q in g["params"]))
    state = optimizer.state.get(p, {})
    reasons = ["weight decay"] if group.get("weight_decay") else []
    if "momentum_buffer" in state:
        reasons.append("momentum")
    elif "exp_avg" in state:
        reasons.append("moving averages")
    elif state:
        reasons.append("the optimizer's state")
    return " and ".join(reasons) or "the optimizer's rule"


def _optimizer_findings(model: nn.Module, optimizer) -> list[Finding]:
    named = dict(model.named_parameters())
    groups = optimizer.param_groups if optimizer is not None else []
    held = {id(p) for group in groups for p in group["params"]}
    kind = type(optimizer).__name__
    stale, moved, state, missing, unsure = [], defaultdict(list), [], [], []
    findings = []
    for name, p in named.items():
        if p.requires_grad:
            if optimizer is not None and id(p) not in held:
                missing.append(name)
        elif p.grad is not None and optimizer is None:
            unsure.append(name)
        elif p.grad is not None and id(p) in held:
            try:
                if not _step_moves(optimizer, p):
                    continue
            except Exception as error:  # an optimizer that cannot step on a copy
                why = (
                    f"frozen with a .grad, and whether {kind}.step() changes it is "
                    f"unknown: a copy of the optimizer could not step ({error!r})"
                )
                findings.append(_found("cannot-judge", name, why=why))
                continue
            if torch.count_nonzero(p.grad):
                stale.append(name)
            else:
                moved[_why_step_moves(optimizer, p)].append(name)
        elif optimizer is not None and optimizer.state.get(p):
            state.append(name)
    findings += _per_module(model, "frozen-stale-grad", stale, optimizer=kind)
    for why, names in moved.items():
        findings += _per_module(
            model, "frozen-moved-by-step", names, optimizer=kind, why=why
        )
    findings += _per_module(model, "frozen-grad", unsure)
    findings += _per_module(model, "frozen-optimizer-state", state, optimizer=kind)
    findings += _per_module(model, "not-in-optimizer", missing, optimizer=kind)
    return findings


def _module_findings(model: nn.Module, names: dict[nn.Module, str]) -> list[Finding]:
    frozen = _frozen_parts(names)
    findings = []
    opaque: list[str] = []  # TorchScript and fx modules: their children are theirs
    for module, name in names.items():
        where = _label(name, model, module)
        if any(_within(name, o) for o in opaque):
            continue
        forward = _forward_names(module)
        if isinstance(module, torch.jit.ScriptModule | torch.fx.GraphModule):
            opaque.append(name)
            why = (
                "a TorchScript module: its code cannot be read, nor its ops watched, "
                "here; and a traced one keeps the mode it was traced in"
                if isinstance(module, torch.jit.ScriptModule)
                else "an fx GraphModule (traced or exported): the mode may be baked "
                "in; check the module it was made from"
            )
            findings.append(_found("cannot-judge", where, why=why))
        elif (
            forward is not None
            and not _from_torch(module)
            and "training" not in forward
        ):
            called = [
                f
                for method in _own_methods(module)
                for f in _loaded(method)
                if any(f is r for r in _RANDOM_FUNCTIONS)
            ]
            if called:
                name = f"F.{called[0].__name__}"
                findings.append(_found("functional-dropout", where, function=name))
        if "requires_grad" in vars(module):
            findings.append(_found("module-requires-grad", where))
        if (
            isinstance(module, _NORMS)
            and module.track_running_stats
            and module.training
            and _in_frozen_part(name, frozen)
        ):
            findings.append(_found("frozen-batchnorm-training", where))
    registered = set(model.modules())
    containers: dict[str, list[str]] = defaultdict(list)
    for module, name in names.items():
        if module not in registered and name.endswith("]"):
            containers[name.partition("[")[0]].append(type(module).__name__)
    for path, classes in containers.items():
        findings.append(_found("plain-container", path, modules=_listing(classes)))
    return findings


def _tensor_findings(model: nn.Module) -> list[Finding]:
    named = dict(model.named_parameters())
    inference = [n for n, p in named.items() if p.is_inference()]
    inference += [n for n, b in model.named_buffers() if b.is_inference()]
    findings = _per_module(model, "inference-parameter", inference)
    computed = defaultdict(list)
    for name, p in named.items():
        if p.grad_fn is not None:
            computed[type(p.grad_fn).__name__].append(name)
    for grad_fn, names in computed.items():
        findings += _per_module(model, "computed-parameter", names, grad_fn=grad_fn)
    return findings


def _static_findings(model: nn.Module, optimizer=None) -> Findings:
    """What is wrong whatever the model does next."""
    return Findings(
        _module_findings(model, _names(model))
        + _tensor_findings(model)
        + _optimizer_findings(model, optimizer)
    )


def report(model: nn.Module, optimizer: torch.optim.Optimizer | None = None) -> Report:
    """The model's switches (``state``), and what is wrong (``findings``) for the mode
    the model is in (its root's) or whatever it does next."""
    names = _names(model)
    grad = "on" if torch.is_grad_enabled() else "off"
    inference = "on" if torch.is_inference_mode_enabled() else "off"
    state = [
        f"{type(model).__name__}: {_mode(model)} mode",
        f"this thread: grad mode {grad}, inference mode {inference}",
    ]
    other = [n for m, n in names.items() if n and m.training != model.training]
    tops = [n for n in other if not any(n.startswith(f"{o}.") for o in other)]
    if tops:
        opposite = "eval" if model.training else "training"
        state.append(f"in {opposite} mode: {_listing(tops, 5)} ({len(other)} modules)")
    layers: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for module, name in names.items():
        dependence = _mode_dependence(module)
        if dependence:
            key = (type(module).__name__, dependence, _mode(module))
            layers[key].append(name or type(model).__name__)
    for (kind, dependence, mode), found in layers.items():
        state.append(f"{kind} ({dependence}) in {mode} mode: {_listing(found)}")
    overriding = [
        name or type(model).__name__
        for module, name in names.items()
        if type(module).train is not nn.Module.train
    ]
    if overriding:
        state.append(f"overrides train(): {_listing(overriding)}")
    state += _parameter_lines(model)
    findings = _mode_findings(model, training=model.training)
    return Report(state, Findings(findings + _static_findings(model, optimizer)))


def _mode_findings(model: nn.Module, training: bool) -> list[Finding]:
    """Mode-dependent layers in the other mode than the one for what comes next:
    training (a frozen part may stay in eval mode) or evaluation. report() takes the
    root's mode as what comes next."""
    names = _names(model)
    frozen = _frozen_parts(names)
    wrong = [
        _label(name, model, module)
        for module, name in names.items()
        if module.training != training
        and _mode_dependence(module)
        and not (training and _in_frozen_part(name, frozen))
    ]
    if not wrong:
        return []
    code = "eval-layers" if training else "training-layers"
    return [_found(code, type(model).__name__, layers=_listing(wrong))]


# --- where_grad_stops() ------------------------------------------------------------------


def _tensors(value: object, depth: int = 4) -> list[torch.Tensor]:
    if isinstance(value, torch.Tensor):
        return [value]
    if depth == 0:
        return []
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        return [t for item in value for t in _tensors(item, depth - 1)]
    return []


def _function_name(func: Callable) -> str:
    owner = getattr(func, "__self__", None)
    name = getattr(func, "__name__", repr(func))
    if name in ("__get__", "__set__") and owner is not None:
        return f".{owner.__name__}" + (" =" if name == "__set__" else "")
    return name


def _autograd_function() -> tuple[str, bool] | None:
    """The autograd.Function whose forward is running (grad mode is off there), and
    whether any of its inputs requires grad."""
    frame = sys._getframe(2)
    suffix = os.path.join("autograd", "function.py")
    while frame is not None:
        code = frame.f_code
        if code.co_name == "apply" and code.co_filename.endswith(suffix):
            local = frame.f_locals
            name = getattr(local.get("cls"), "__name__", "autograd.Function")
            given = _tensors([list(local.get("args", ())), local.get("kwargs") or {}])
            return name, any(t.requires_grad for t in given)
        # From torch 2.14 on, Function.apply runs forward from C++ (no Python apply
        # frame): the forward's own frame names its class through ctx._forward_cls.
        forward_cls = getattr(frame.f_locals.get("ctx"), "_forward_cls", None)
        if code.co_name == "forward" and forward_cls is not None:
            count = code.co_argcount + code.co_kwonlyargcount
            count += bool(code.co_flags & inspect.CO_VARARGS)
            count += bool(code.co_flags & inspect.CO_VARKEYWORDS)
            local = frame.f_locals
            given = _tensors([local.get(n) for n in code.co_varnames[:count]])
            return forward_cls.__name__, any(t.requires_grad for t in given)
        frame = frame.f_back
    return None


_NUMBERS = {"item", "tolist", "numpy", "__float__", "__int__"}
_FLAT = {"round", "sign", "sgn", "floor", "ceil", "trunc", "fix"}  # zero gradient
_SATURATING = {  # a zero gradient where they saturate
    "clamp",
    "clamp_",
    "clip",
    "clamp_min",
    "clamp_max",
    "hardtanh",
    "relu",
    "relu_",
    "relu6",
    "threshold",
}
_MULTIPLY = {"mul", "mul_", "__mul__", "__rmul__", "__imul__", "multiply"}


def _lost(names: list[str], zero: set[str]) -> str:
    """The {lost} of a finding: the parameters, and what they get."""
    zeros = sum(name in zero for name in names)
    gets = (
        "get no gradient"
        if not zeros
        else "get a gradient of zeros only"
        if zeros == len(names)
        else "get no gradient, or one of zeros only"
    )
    return f"{len(names)} trainable parameter(s) {gets} ({_listing(names, 2)})"


@dataclasses.dataclass
class _Cut:
    """An op that took something requiring grad and gave nothing that does."""

    where: str
    function: str
    grad_enabled: bool
    inference: bool
    inside: tuple[str, bool] | None  # the autograd.Function running it; inputs' grad
    depends_on: frozenset  # the trainable parameters its inputs were computed from
    dtype: torch.dtype | None

    def finding(self, lost: str) -> Finding:
        function, inputs_grad = self.inside or (self.function, False)
        fields = {"lost": lost, "function": function}
        if self.inside and inputs_grad:
            return _found("function-backward", self.where, **fields)
        if function == "CheckpointFunction":
            return _found("reentrant-checkpoint", self.where, **fields)
        if self.inside:
            return _found("function-grad-off", self.where, **fields)
        if self.inference:
            return _found("inference-mode-inside", self.where, **fields)
        if not self.grad_enabled:
            return _found("no-grad-inside", self.where, **fields)
        if self.function in ("detach", "detach_"):
            return _found("detach", self.where, **fields)
        if self.function == ".data":
            return _found("data", self.where, **fields)
        if self.function in _NUMBERS:
            return _found(
                "not-differentiable", self.where, result="Python numbers", **fields
            )
        if not (self.dtype.is_floating_point or self.dtype.is_complex):
            result = str(self.dtype).removeprefix("torch.")
            return _found("not-differentiable", self.where, result=result, **fields)
        return _found("cut", self.where, **fields)

    @property
    def rank(self) -> int:
        """Switches first (no_grad, detach, .data, checkpoint), then the ops that are
        not differentiable by nature."""
        return {"not-differentiable": 1, "cut": 2}.get(self.finding("-").code, 0)


def _is_zero(value: object) -> bool:
    if isinstance(value, torch.Tensor):
        return not value.requires_grad and value.numel() == 1 and not value.any()
    return isinstance(value, int | float) and not isinstance(value, bool) and value == 0


class _Watch(TorchFunctionMode):
    """Sees every op of the forward: the trainable parameters each tensor was computed
    from, each op where a gradient stopped, and each op whose gradient can be zero."""

    def __init__(
        self, trainable: dict[int, str], stack: list[str], zero_valued: set[int]
    ) -> None:
        super().__init__()
        self.trainable = trainable  # id -> name
        self.stack = stack  # the modules running, innermost last
        self.zero_valued = zero_valued  # ids of trainable parameters that are all 0
        self.depends = WeakIdKeyDictionary()  # tensor made here -> parameter names
        self.used: set[str] = set()
        self.cuts: list[_Cut] = []
        self.data: list[str] = []
        self.set_by_hand: list[tuple[str, frozenset]] = []
        self.failure: tuple[str, str, Exception, list[int]] | None = None
        # (rank, where, why, parameters): ops that can give a gradient of zeros
        self.zeroing: list[tuple[int, str, str, frozenset]] = []
        self.scaled_by_zero: set[str] = set()  # times a parameter that is all 0 now

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        inputs = _tensors([list(args), kwargs])
        try:
            result = func(*args, **kwargs)
        except Exception as error:
            if self.failure is None:
                inference = [i for i, t in enumerate(inputs) if t.is_inference()]
                self.failure = (self.stack[-1], _function_name(func), error, inference)
            raise
        self._record(_function_name(func), args, inputs, result)
        return result

    def _record(self, name: str, args, inputs, result) -> None:
        own = {self.trainable[id(t)] for t in inputs if id(t) in self.trainable}
        self.used |= own
        if name in (".requires_grad =", "requires_grad_"):
            target = args[0]
            if target in self.depends and target.requires_grad and target.is_leaf:
                self.set_by_hand.append((self.stack[-1], self.depends[target]))
            return
        if name.startswith(".") and name != ".data":
            return  # .shape, .grad, .device, ...: no computation
        if name.endswith("_like") or name.startswith("new_"):
            return  # reads the shape only
        depends = frozenset(own).union(*(self.depends.get(t, ()) for t in inputs))
        outputs = _tensors(result)
        for t in outputs:
            self.depends[t] = self.depends.get(t, frozenset()) | depends
        carried = any(t.requires_grad for t in inputs)
        if name == ".data" and carried:
            self.data.append(self.stack[-1])
        if carried and torch.is_grad_enabled():
            self._zeroing(name, args, inputs, depends)
        lost = carried and not any(t.requires_grad for t in outputs)
        if lost and (outputs or name in _NUMBERS):
            grad_enabled = torch.is_grad_enabled()
            self.cuts.append(
                _Cut(
                    self.stack[-1],
                    name,
                    grad_enabled,
                    torch.is_inference_mode_enabled(),
                    None if grad_enabled else _autograd_function(),
                    depends,
                    outputs[0].dtype if outputs else None,
                )
            )

    def _zeroing(self, name: str, args, inputs, depends: frozenset) -> None:
        zero = [t for t in inputs if id(t) in self.zero_valued]
        for t in zero:  # a zero-initialised scale (LoRA's B, ReZero): not for long
            others = [u for u in inputs if u is not t]
            self.scaled_by_zero |= frozenset().union(
                *(self.depends.get(u, ()) for u in others),
                {self.trainable[id(u)] for u in others if id(u) in self.trainable},
            )
        where = self.stack[-1]
        if name in _MULTIPLY and any(_is_zero(a) for a in args[:2]):
            why = "multiplied by 0 here: backward() runs, and their gradient is 0"
            self.zeroing.append((0, where, why, depends))
        elif name in _FLAT:
            why = f"{name} ran on their way to the output: its gradient is 0"
            self.zeroing.append((1, where, why, depends))
        elif name in _SATURATING:
            why = (
                f"{name} ran on their way to the output: its gradient is 0 where it "
                "saturates"
            )
            self.zeroing.append((2, where, why, depends))


class _KeptAsItWas:
    """Puts back the RNG, the buffers and the .grad of what the diagnostic ran."""

    def __init__(self, modules: Iterable[nn.Module], leaves: Iterable[torch.Tensor]):
        modules = list(modules)
        self.buffers = {
            b: b.detach().clone()
            for m in modules
            for b in m.buffers(recurse=False)
            if not b.is_inference()
        }
        self.grads = {p: p.grad for m in modules for p in m.parameters(recurse=False)}
        self.grads.update({t: t.grad for t in leaves})

    def __enter__(self) -> _KeptAsItWas:
        self.rng = torch.get_rng_state()
        cuda = torch.cuda.is_available() and torch.cuda.is_initialized()
        self.cuda = torch.cuda.get_rng_state_all() if cuda else None
        self.mps = (
            torch.mps.get_rng_state() if torch.backends.mps.is_available() else None
        )
        for t in self.grads:
            t.grad = None
        return self

    def got_gradient(self) -> set[int]:
        return {id(t) for t in self.grads if t.grad is not None}

    def __exit__(self, *exc: object) -> None:
        with torch.no_grad():
            for buffer, saved in self.buffers.items():
                buffer.copy_(saved)
        for t, grad in self.grads.items():
            t.grad = grad
        torch.set_rng_state(self.rng)
        if self.cuda is not None:
            torch.cuda.set_rng_state_all(self.cuda)
        if self.mps is not None:
            torch.mps.set_rng_state(self.mps)


def _run_watched(model, names, watch, inputs, kwargs, loss_fn) -> object:
    """The forward (and loss_fn) under ``watch``, with the module stack kept."""

    def enter(module, args):
        name = names.get(module)
        watch.stack.append(
            type(module).__name__ if name is None else _label(name, model, module)
        )

    def leave(module, args, output):
        if len(watch.stack) > 1:
            watch.stack.pop()

    handles = [
        register_module_forward_pre_hook(enter),
        register_module_forward_hook(leave, always_call=True),
    ]
    try:
        with watch:
            output = model(*inputs, **kwargs)
            if loss_fn is not None:
                watch.stack[1:] = ["loss_fn"]
                output = loss_fn(output)
    finally:
        for handle in handles:
            handle.remove()
    return output


def _failure_finding(watch: _Watch, error: Exception) -> Finding:
    where, function, failure, inference = watch.failure or (
        watch.stack[-1],
        "forward",
        error,
        [],
    )
    raised = type(failure).__name__
    first = (str(failure).splitlines() or [""])[0]
    if inference and "inference tensor" in first.lower():
        return _found(
            "inference-tensor-saved",
            where,
            function=function,
            error=raised,
            index=inference[0],
        )
    return _found(
        "forward-raised", where, function=function, error=f"{raised}: {first}"
    )


def where_grad_stops(
    model: nn.Module,
    *inputs: object,
    loss_fn: Callable[[object], object] | None = None,
    **kwargs: object,
) -> Findings:
    """Run ``model(*inputs, **kwargs)``, then ``loss_fn(output)`` if given, watching
    every op, then one backward; name where the output or a trainable parameter loses
    its gradient, or gets a gradient of zeros only, and why. The buffers, the RNG and
    every .grad are put back."""
    if torch.is_inference_mode_enabled():
        return Findings([_found("inference-mode-on", "this thread")])
    if not torch.is_grad_enabled():
        return Findings([_found("grad-mode-off", "this thread")])
    names = _names(model)
    if any(type(m).__name__ == "OptimizedModule" for m in names):
        why = (
            "a torch.compile'd module: the ops inside its compiled graph cannot be "
            "watched; pass the module it was compiled from (._orig_mod)"
        )
        return Findings([_found("cannot-judge", type(model).__name__, why=why)])
    keep = (
        "inference-parameter",
        "computed-parameter",
        "plain-container",
        "cannot-judge",
    )
    findings = Findings(f for f in _static_findings(model) if f.code in keep)
    parameters, seen = {}, set()  # a shared (tied) parameter under its first name
    for module, name in names.items():
        for short, p in module.named_parameters(recurse=False):
            if id(p) not in seen:
                seen.add(id(p))
                parameters[_joined(name, short)] = p
    trainable = {id(p): n for n, p in parameters.items() if p.requires_grad}
    # TorchScript runs its ops where they cannot be watched (cannot-judge, above)
    scripted = [n for m, n in names.items() if isinstance(m, torch.jit.ScriptModule)]
    hidden = {n for n in parameters if any(_within(n, s) for s in scripted)}
    zero_valued = {
        id(p)
        for p in parameters.values()
        if p.requires_grad
        and p.is_floating_point()
        and not p.is_inference()
        and not p.detach().any()
    }
    given = _tensors([list(inputs), kwargs])
    watch = _Watch(trainable, [type(model).__name__], zero_valued)
    with _KeptAsItWas(
        names, [t for t in given if t.is_leaf and t.requires_grad]
    ) as kept:
        try:
            output = _run_watched(model, names, watch, inputs, kwargs, loss_fn)
        except Exception as error:
            return Findings([*findings, _failure_finding(watch, error)])
        results = [
            ((t.real if t.is_complex() else t) * _weights(t)).sum()
            for t in _tensors(output)
            if t.requires_grad and (t.is_floating_point() or t.is_complex())
        ]
        if results:
            torch.autograd.backward(results)
        got = {trainable[i] for i in kept.got_gradient() if i in trainable}
        zero = {
            n
            for n in got
            if not parameters[n].grad.is_sparse and not parameters[n].grad.any()
        }

    mine = {id(t) for t in [*parameters.values(), *given]}
    new_leaves = [
        t
        for t in _tensors(output)
        if t.requires_grad and t.is_leaf and id(t) not in mine
    ]
    if new_leaves and not watch.set_by_hand:  # torch.tensor(loss.item(), ...=True)
        where = "loss_fn" if loss_fn is not None else type(model).__name__
        findings.append(
            _found(
                "requires-grad-set-by-hand",
                where,
                what="a new leaf it returns (no grad_fn)",
                before="backward() gives no parameter a gradient",
            )
        )
    if (
        not watch.used
        and not got
        and not hidden & set(trainable.values())
        and not any(t.requires_grad for t in given)
    ):
        if watch.set_by_hand:
            where = watch.set_by_hand[0][0]
            before = "nothing before it is trainable"
            findings.append(
                _found(
                    "requires-grad-set-by-hand", where, what="a tensor", before=before
                )
            )
        return Findings(
            [*findings, _found("nothing-requires-grad", type(model).__name__)]
        )
    for where in dict.fromkeys(w for w, lost in watch.set_by_hand if lost):
        before = "what comes before it still gets no gradient"
        findings.append(
            _found(
                "requires-grad-set-by-hand",
                where,
                what="a tensor computed here",
                before=before,
            )
        )
    zero -= watch.scaled_by_zero  # they get a gradient once that parameter moves
    lost_at: dict[tuple[str, object], tuple[int, list[str]]] = {}
    unexplained = []
    for name in parameters:
        if name not in watch.used or (name in got and name not in zero):
            continue
        cuts = [i for i, c in enumerate(watch.cuts) if name in c.depends_on]
        if not cuts:
            if name not in zero and not parameters[name].is_inference():
                unexplained.append(name)  # (inference parameters: a finding above)
            continue
        first = min(cuts, key=lambda i: (watch.cuts[i].rank, i))
        key = (watch.cuts[first].finding("-").code, watch.cuts[first].inside)
        earliest, lost = lost_at.get(key, (first, []))
        lost_at[key] = (min(earliest, first), [*lost, name])
    findings += [
        watch.cuts[i].finding(_lost(lost, zero)) for i, lost in lost_at.values()
    ]
    zeroed: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name in (n for n in parameters if n in zero):
        why = [z for z in watch.zeroing if name in z[3]]
        if why:
            _, where, text, _ = min(why, key=lambda z: z[0])
            zeroed[where, text].append(name)
        elif not any(name in c.depends_on for c in watch.cuts):
            text = "no op it watched explains it (a factor of 0 on their way?)"
            zeroed[type(model).__name__, text].append(name)
    for (where, text), names_ in zeroed.items():
        findings.append(_found("zero-grad", where, lost=_lost(names_, zero), why=text))
    if "data" not in findings.codes:
        findings += [_found("data-used", where) for where in dict.fromkeys(watch.data)]
    unused = [
        n for n in trainable.values() if n not in watch.used | got and n not in hidden
    ]
    for code, lost in (("not-in-output", unexplained), ("unused-parameters", unused)):
        if lost:
            findings.append(_found(code, type(model).__name__, lost=_lost(lost, zero)))
    return findings


def _weights(t: torch.Tensor) -> torch.Tensor:
    """Different weights for the elements of an output, so that its weighted sum
    changes with each of them (a plain sum of softmax outputs does not)."""
    dtype = t.real.dtype if t.is_complex() else t.dtype
    weights = torch.linspace(1.0, 2.0, t.numel(), device=t.device, dtype=dtype)
    return weights.reshape(t.shape)


def _zero_branches(node: object) -> set[int]:
    """Which inputs of a multiplication node get a gradient of zeros: those whose
    factor is 0."""
    if type(node).__name__ != "MulBackward0":
        return set()
    zero = set()
    for index, other in ((0, "_saved_other"), (1, "_saved_self")):
        try:
            factor = getattr(node, other)
        except RuntimeError:  # freed by an earlier backward()
            continue
        if isinstance(factor, torch.Tensor) and factor.numel() and not factor.any():
            zero.add(index)
    return zero


def _reaches_a_leaf(root: object, past_zero: bool) -> bool:
    """Whether the graph from ``root`` reaches a leaf (AccumulateGrad); with
    ``past_zero`` False, only along paths with no multiplication by 0."""
    seen, stack = set(), [root]
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        if type(node).__name__ == "AccumulateGrad":
            return True
        skip = set() if past_zero else _zero_branches(node)
        stack += [n for i, (n, _) in enumerate(node.next_functions) if i not in skip]
    return False


def check_loss(loss: torch.Tensor) -> Findings:
    """Why backward() on ``loss`` would train nothing, or would fail."""
    findings = Findings()
    if loss.requires_grad and loss.is_leaf and not isinstance(loss, nn.Parameter):
        findings.append(
            _found(
                "requires-grad-set-by-hand",
                "loss",
                what="a leaf (no grad_fn)",
                before="backward() gives no parameter a gradient",
            )
        )
    elif not loss.requires_grad:
        findings.append(_found("no-graph", "loss"))
    elif _reaches_a_leaf(loss.grad_fn, True) and not _reaches_a_leaf(
        loss.grad_fn, False
    ):
        lost = "every parameter gets a gradient of zeros only"
        why = (
            "the loss reaches them only through a multiplication by 0 (loss + 0 * "
            "...): the error 'element 0 of tensors does not require grad' is gone, "
            "and nothing trains"
        )
        findings.append(_found("zero-grad", "loss", lost=lost, why=why))
    freed, seen, stack = 0, set(), [loss.grad_fn]
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        for attribute in dir(node):
            if attribute.startswith("_saved_"):
                try:
                    getattr(node, attribute)
                except RuntimeError:  # freed by an earlier backward()
                    freed += 1
                    break
        stack += [next_node for next_node, _ in node.next_functions]
    if freed:
        findings.append(_found("freed-graph", "loss", count=freed))
    return findings


# --- Checks and assertions for your tests -------------------------------------------------


def _calls(model: nn.Module, names, inputs: tuple, kwargs: dict, seed: int) -> list:
    """One forward under no_grad: each module call in order, as ("enter", label,
    None) and ("leave", label, its output tensors)."""
    events: list[tuple[str, str, list[torch.Tensor] | None]] = []

    def enter(module, args):
        if module in names:
            events.append(("enter", _label(names[module], model, module), None))

    def leave(module, args, output):
        if module in names:
            label = _label(names[module], model, module)
            events.append(("leave", label, _tensors(output)))

    with _KeptAsItWas(names, []), torch.no_grad():
        torch.manual_seed(seed)
        handles = [
            register_module_forward_pre_hook(enter),
            register_module_forward_hook(leave, always_call=True),
        ]
        try:
            model(*inputs, **kwargs)
        finally:
            for handle in handles:
                handle.remove()
    return events


def _differ(first: list[torch.Tensor], second: list[torch.Tensor]) -> bool:
    if len(first) != len(second):
        return True
    for a, b in zip(first, second, strict=True):
        if a.shape != b.shape or a.dtype != b.dtype:
            return True
        if a.is_floating_point() and not torch.allclose(a, b, rtol=1e-4, atol=1e-6):
            return True
        if not a.is_floating_point() and not torch.equal(a, b):
            return True
    return False


def _first_difference(model: nn.Module, inputs: tuple, kwargs: dict) -> str | None:
    """The first module whose output differs between two forwards of the same input
    with different random seeds, under no_grad; or, where the two run different
    modules, the module whose forward ran them. Calls are paired by their order in
    each forward, not assumed to be the same."""
    names = _names(model)
    first, second = (_calls(model, names, inputs, kwargs, seed) for seed in (1, 2))
    running: list[str] = []
    for index, (kind, label, out) in enumerate(first):
        other = second[index] if index < len(second) else None
        if other is None or other[:2] != (kind, label):
            return running[-1] if running else type(model).__name__
        if kind == "enter":
            running.append(label)
            continue
        running.pop()
        if _differ(out, other[2]):
            return label
    if len(second) > len(first):  # the second ran more modules after the same ones
        return type(model).__name__
    return None


def check_eval_ready(model: nn.Module, *inputs: object, **kwargs: object) -> Findings:
    """Call it where the evaluation runs. Finds a mode-dependent layer in training
    mode, grad mode on in this thread, a module that cannot be judged; with inputs,
    two forwards of them (different seeds, under no_grad) that differ."""
    findings = Findings(_mode_findings(model, training=False))
    if torch.is_grad_enabled():
        findings.append(_found("grad-mode-on", "this thread"))
    keep = (
        "plain-container",
        "functional-dropout",
        "computed-parameter",
        "cannot-judge",
    )
    findings += [f for f in _static_findings(model) if f.code in keep]
    if inputs and "training-layers" not in findings.codes:
        where = _first_difference(model, inputs, kwargs)
        if where is not None:
            findings.append(_found("random-in-eval", where))
    return findings


def check_trainable(
    model: nn.Module,
    optimizer: torch.optim.Optimizer | None = None,
    *,
    expected: Iterable[str] | None = None,
    inputs: tuple = (),
) -> Findings:
    """Call it where the training step runs. Finds a mode-dependent layer in eval mode
    in a part that trains, grad mode off, any finding of report(); with ``expected``
    (names or prefixes of the parameters that should train), any other parameter that
    trains or one of those that does not; with ``inputs``, any finding of
    where_grad_stops(model, *inputs)."""
    findings = Findings(_mode_findings(model, training=True))
    if torch.is_inference_mode_enabled():
        findings.append(_found("inference-mode-on", "this thread"))
    elif not torch.is_grad_enabled():
        findings.append(_found("grad-mode-off", "this thread"))
    findings += _static_findings(model, optimizer)
    if expected is not None:
        prefixes = tuple(expected)
        named = dict(model.named_parameters())

        def wanted(name: str) -> bool:
            return any(name == p or name.startswith(f"{p}.") for p in prefixes)

        frozen = [n for n, p in named.items() if wanted(n) and not p.requires_grad]
        extra = [n for n, p in named.items() if not wanted(n) and p.requires_grad]
        findings += _per_module(model, "expected-trainable", frozen)
        findings += _per_module(model, "expected-frozen", extra)
    if inputs:
        findings += [f for f in where_grad_stops(model, *inputs) if f not in findings]
    return findings


def _fail(what: str, findings: Findings, ignore: Iterable[str]) -> None:
    kept = [f for f in findings if f.code not in set(ignore)]
    if kept:
        lines = "\n".join(map(str, kept))
        raise AssertionError(f"the model is not ready for {what}:\n{lines}")


def assert_eval_ready(
    model: nn.Module, *inputs: object, ignore: Iterable[str] = (), **kwargs: object
) -> None:
    """check_eval_ready() as an assertion; ``ignore`` lists codes you accept."""
    _fail("evaluation", check_eval_ready(model, *inputs, **kwargs), ignore)


def assert_trainable(
    model: nn.Module,
    optimizer: torch.optim.Optimizer | None = None,
    *,
    expected: Iterable[str] | None = None,
    inputs: tuple = (),
    ignore: Iterable[str] = (),
) -> None:
    """check_trainable() as an assertion; ``ignore`` lists codes you accept."""
    findings = check_trainable(model, optimizer, expected=expected, inputs=inputs)
    _fail("training", findings, ignore)
