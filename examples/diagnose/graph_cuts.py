import torch
from _diagnose import where_grad_stops
from torch import nn

torch.manual_seed(0)
x = torch.randn(4, 8)


class Cut(nn.Module):
    """body -> head -> cut: each cut below stops the gradient at the end."""

    def __init__(self, cut) -> None:
        super().__init__()
        self.body, self.head, self.cut = nn.Linear(8, 8), nn.Linear(8, 8), cut

    def forward(self, x: torch.Tensor) -> object:
        return self.cut(self.head(self.body(x)))


def under_no_grad(h: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        return h * 2


def under_inference_mode(h: torch.Tensor) -> torch.Tensor:
    with torch.inference_mode():
        return h * 2


cuts = {
    "no_grad": under_no_grad,
    "inference_mode": under_inference_mode,
    "detach": torch.Tensor.detach,
    ".data": lambda h: h.data,
    "argmax": lambda h: h.argmax(-1),
    "item": lambda h: h.sum().item(),
    "histc": lambda h: torch.histc(h, bins=4),
    "argmax, then detach": lambda h: (h.argmax(-1, keepdim=True) > 0) * h.detach(),
}
found = {name: where_grad_stops(Cut(cut), x) for name, cut in cuts.items()}
print("\n".join(f"{name}: {findings}" for name, findings in found.items()))
"""
no_grad: no-grad-inside: Cut: 4 trainable parameter(s) get no gradient (body.weight, body.bias and 2 more): mul ran with grad mode off inside the forward (torch.no_grad or set_grad_enabled(False)) (see grad-mode/#what-it-is)
inference_mode: inference-mode-inside: Cut: 4 trainable parameter(s) get no gradient (body.weight, body.bias and 2 more): mul ran under inference_mode inside the forward (see inference-mode/#inference-tensors)
detach: detach: Cut: 4 trainable parameter(s) get no gradient (body.weight, body.bias and 2 more): .detach() cuts them off here (see detach/#three-ways)
.data: data: Cut: 4 trainable parameter(s) get no gradient (body.weight, body.bias and 2 more): .data cuts them off here (see detach/#data)
argmax: not-differentiable: Cut: 4 trainable parameter(s) get no gradient (body.weight, body.bias and 2 more): argmax returns int64, through which no gradient flows (see requires-grad/#ex-recording-rule)
item: not-differentiable: Cut: 4 trainable parameter(s) get no gradient (body.weight, body.bias and 2 more): item returns Python numbers, through which no gradient flows (see requires-grad/#ex-recording-rule)
histc: cut: Cut: 4 trainable parameter(s) get no gradient (body.weight, body.bias and 2 more): histc returns a tensor without a gradient (see diagnose/#ex-graph-cuts)
argmax, then detach: detach: Cut: 4 trainable parameter(s) get no gradient (body.weight, body.bias and 2 more): .detach() cuts them off here (see detach/#three-ways)
"""
assert [findings.codes for findings in found.values()] == [
    ["no-grad-inside"],
    ["inference-mode-inside"],
    ["detach"],
    ["data"],
    ["not-differentiable"],
    ["not-differentiable"],
    ["cut"],
    ["detach"],  # a switch is named before an op with no gradient by nature
]
assert where_grad_stops(Cut(torch.relu), x) == []  # no cut: no finding
h = torch.randn(8, requires_grad=True)
assert not torch.histc(h, bins=4).requires_grad  # histc: a float without a gradient


class Twice(torch.autograd.Function):
    """Runs a module inside its forward, where grad mode is off."""

    @staticmethod
    def forward(ctx, h: torch.Tensor, module: nn.Module) -> torch.Tensor:
        return module(h) * 2

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> tuple:
        return grad * 2, None


class Frozen(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.embed = nn.Linear(8, 8).requires_grad_(False)
        self.block = nn.Linear(8, 8)
        self.aux = nn.Linear(8, 1)  # used, but its output is dropped
        self.spare = nn.Linear(8, 1)  # never used

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.embed(x)
        self.aux(h)
        return Twice.apply(h, self.block)


findings = where_grad_stops(Frozen(), x)
print(findings)
"""
function-grad-off: block (Linear): 2 trainable parameter(s) get no gradient (block.weight, block.bias): autograd.Function Twice runs them with grad mode off, and none of its inputs requires grad (see training-stack/#checkpoint)
not-in-output: Frozen: 2 trainable parameter(s) get no gradient (aux.weight, aux.bias): the output does not depend on them (see diagnose/#ex-graph-cuts)
unused-parameters: Frozen: 2 trainable parameter(s) get no gradient (spare.weight, spare.bias): this forward does not use them (see diagnose/#ex-graph-cuts)
"""
assert findings.codes == ["function-grad-off", "not-in-output", "unused-parameters"]
assert not Frozen()(x).requires_grad  # no parameter can get a gradient from it


class NoBackward(torch.autograd.Function):
    """Its inputs require grad, but its backward returns None for them."""

    @staticmethod
    def forward(ctx, h: torch.Tensor) -> torch.Tensor:
        return h.round()

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> None:
        return None  # meant: return grad (a straight-through estimator)


findings = where_grad_stops(Cut(NoBackward.apply), x)
print(findings)
"""
function-backward: Cut: 4 trainable parameter(s) get no gradient (body.weight, body.bias and 2 more): autograd.Function NoBackward takes inputs that require grad, but its backward gives them no gradient (see diagnose/#ex-graph-cuts)
"""
assert findings.codes == ["function-backward"]
model = Cut(NoBackward.apply)
model(x).sum().backward()
assert model.body.weight.grad is None

frozen = nn.Sequential(nn.Linear(8, 8), nn.Linear(8, 2)).requires_grad_(False)
print(where_grad_stops(frozen, x))
"""
nothing-requires-grad: Sequential: nothing in this forward requires grad: no input does, and each parameter it uses is frozen (see requires-grad/#ex-recording-rule)
"""
assert where_grad_stops(frozen, x).codes == ["nothing-requires-grad"]
assert not where_grad_stops(frozen, x.clone().requires_grad_())  # input gradients


class Fails(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise ValueError("labels are missing")


findings = where_grad_stops(Fails(), x)
print(findings)
#> forward-raised: Fails: forward raised ValueError: labels are missing (see errors/)
assert findings.codes == ["forward-raised"]
with torch.inference_mode():
    findings = where_grad_stops(Cut(torch.relu), x)
print(findings)
"""
inference-mode-on: this thread: inference mode is on: nothing is recorded, and every result is an inference tensor (see inference-mode/#restrictions)
"""
assert findings.codes == ["inference-mode-on"]
