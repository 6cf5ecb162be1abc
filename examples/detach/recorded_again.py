import torch
from torch import nn

torch.manual_seed(0)
first, second = nn.Linear(4, 4), nn.Linear(4, 1)
x = torch.randn(2, 4)

cut = first(x).detach()  # one edge cut: first gets no gradient
out = second(cut)  # a later layer is recorded again
print("after detach:", type(out.grad_fn).__name__)
#> after detach: AddmmBackward0
out.sum().backward()
assert first.weight.grad is None and second.weight.grad is not None

with torch.no_grad():  # a whole region: nothing inside is recorded
    out = second(first(x))
print("inside no_grad:", out.grad_fn)
#> inside no_grad: None
assert not out.requires_grad
