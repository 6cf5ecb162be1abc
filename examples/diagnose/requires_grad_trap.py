import torch
from _diagnose import check_loss, where_grad_stops
from torch import nn

torch.manual_seed(0)


class Tagger(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.encoder = nn.Linear(8, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.encoder(x).argmax(-1).float()  # the cut: argmax has no gradient


model = Tagger()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
x, target = torch.randn(16, 8), torch.randint(0, 4, (16,)).float()

# The error
loss = nn.functional.mse_loss(model(x), target)
assert check_loss(loss).codes == ["no-graph"]
try:
    loss.backward()
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("backward() did not raise")
print(message)
#> element 0 of tensors does not require grad and does not have a grad_fn
assert message.startswith("element 0 of tensors does not require grad")

# The "fix" found online: the error is gone, and the model silently stops learning
before = model.encoder.weight.detach().clone()
loss.requires_grad = True
loss.backward()
optimizer.step()
assert torch.equal(model.encoder.weight, before) and model.encoder.weight.grad is None
print(check_loss(loss))
"""
requires-grad-set-by-hand: loss: requires_grad was set by hand on a leaf (no grad_fn), after the graph was cut: the error goes away, but backward() gives no parameter a gradient (see diagnose/#requires-grad-trap)
"""


# Where the graph was really cut, and the same trap inside a loss function
def loss_fn(output: torch.Tensor) -> torch.Tensor:
    loss = nn.functional.mse_loss(output, target)
    loss.requires_grad = True
    return loss


findings = where_grad_stops(model, x, loss_fn=loss_fn)
print(findings)
"""
requires-grad-set-by-hand: loss_fn: requires_grad was set by hand on a tensor computed here, after the graph was cut: the error goes away, but what comes before it still gets no gradient (see diagnose/#requires-grad-trap)
not-differentiable: Tagger: 2 trainable parameter(s) get no gradient (encoder.weight, encoder.bias): argmax returns int64, through which no gradient flows (see requires-grad/#ex-recording-rule)
"""
assert findings.codes == [
    "requires-grad-set-by-hand",
    "not-differentiable",
]


# The same trap as a new leaf: the loss as a number, made a tensor that requires grad
def as_new_leaf(output: torch.Tensor) -> torch.Tensor:
    loss = nn.functional.mse_loss(output, target)
    return torch.tensor(loss.item(), requires_grad=True)


loss = as_new_leaf(model(x))
assert check_loss(loss).codes == ["requires-grad-set-by-hand"]
findings = where_grad_stops(model, x, loss_fn=as_new_leaf)
print(findings[0])
"""
requires-grad-set-by-hand: loss_fn: requires_grad was set by hand on a new leaf it returns (no grad_fn), after the graph was cut: the error goes away, but backward() gives no parameter a gradient (see diagnose/#requires-grad-trap)
"""
assert findings.codes == ["requires-grad-set-by-hand", "not-differentiable"]
loss.backward()
assert model.encoder.weight.grad is None  # the finding was right
