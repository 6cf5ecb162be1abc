import torch
import torch.nn.functional as F
from _diagnose import check_loss, where_grad_stops
from torch import nn

torch.manual_seed(0)
x, target = torch.randn(8, 8), torch.randn(8)


class Body(nn.Module):
    """a -> op -> b: the op decides what reaches a."""

    def __init__(self, op) -> None:
        super().__init__()
        self.a, self.b, self.op = nn.Linear(8, 8), nn.Linear(8, 1), op

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.b(self.op(self.a(x))).squeeze(-1)


def a_grad_is_zero(model: Body) -> bool:
    model.zero_grad()
    model(x).sum().backward()
    return model.a.weight.grad is not None and not model.a.weight.grad.any()


# round (or sign, floor): a float result, a gradient, and it is 0 everywhere
model = Body(torch.round)
findings = where_grad_stops(model, x)
print(findings)
"""
zero-grad: Body: 2 trainable parameter(s) get a gradient of zeros only (a.weight, a.bias): round ran on their way to the output: its gradient is 0 (see diagnose/#ex-zero-grad)
"""
assert findings.codes == ["zero-grad"] and a_grad_is_zero(model)
for op in (torch.sign, torch.floor):
    model = Body(op)
    assert where_grad_stops(model, x).codes == ["zero-grad"] and a_grad_is_zero(model)

# A clamp that saturates for every element of these inputs
model = Body(lambda h: h.clamp(max=-100.0))
findings = where_grad_stops(model, x)
print(findings[0].message.rpartition(": ")[2])
#> its gradient is 0 where it saturates
assert findings.codes == ["zero-grad"] and a_grad_is_zero(model)
assert not where_grad_stops(Body(torch.tanh), x)  # no finding where a gradient flows


# The other online "fix" for 'element 0 of tensors does not require grad': add 0 * ...
class Tagger(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.encoder = nn.Linear(8, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.encoder(x).argmax(-1).float()  # the real cut


model = Tagger()


def loss_fn(output: torch.Tensor) -> torch.Tensor:
    hack = sum(p.sum() for p in model.parameters())
    return F.mse_loss(output, target) + 0 * hack  # no error, and nothing trains


loss = loss_fn(model(x))
print(check_loss(loss))
"""
zero-grad: loss: every parameter gets a gradient of zeros only: the loss reaches them only through a multiplication by 0 (loss + 0 * ...): the error 'element 0 of tensors does not require grad' is gone, and nothing trains (see diagnose/#ex-zero-grad)
"""
assert check_loss(loss).codes == ["zero-grad"]
loss.backward()
assert all(p.grad is not None and not p.grad.any() for p in model.parameters())
findings = where_grad_stops(model, x, loss_fn=loss_fn)
print(findings)
"""
not-differentiable: Tagger: 2 trainable parameter(s) get a gradient of zeros only (encoder.weight, encoder.bias): argmax returns int64, through which no gradient flows (see requires-grad/#ex-recording-rule)
zero-grad: loss_fn: 2 trainable parameter(s) get a gradient of zeros only (encoder.weight, encoder.bias): multiplied by 0 here: backward() runs, and their gradient is 0 (see diagnose/#ex-zero-grad)
"""
assert findings.codes == ["not-differentiable", "zero-grad"]


# A scale that starts at 0 (LoRA's B, ReZero): a zero gradient for one step only
class ReZero(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.block = nn.Linear(8, 8)
        self.alpha = nn.Parameter(torch.zeros(()))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.alpha * self.block(x)


model = ReZero()
assert not where_grad_stops(model, x)  # meant, so no finding
model(x).sum().backward()
assert not model.block.weight.grad.any() and model.alpha.grad.any()
