import torch
from torch import nn

torch.manual_seed(0)
model = nn.Linear(4, 1)
x, x_next = torch.randn(8, 4), torch.randn(8, 4)

with torch.no_grad():
    target = model(x_next)  # computed once, recorded nowhere
loss = ((model(x) - target) ** 2).mean()
loss.backward()
grad_constant = model.weight.grad.clone()

model.weight.grad = None
loss_both = ((model(x) - model(x_next)) ** 2).mean()  # the target recorded too
loss_both.backward()

print("target requires_grad:", target.requires_grad)
#> target requires_grad: False
print(
    "same gradient as a recorded target:",
    torch.allclose(grad_constant, model.weight.grad),
)
#> same gradient as a recorded target: False
assert torch.isclose(loss, loss_both)  # same value...
assert not torch.allclose(grad_constant, model.weight.grad)  # ...other gradient
