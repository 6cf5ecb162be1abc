import torch
from torch import nn

torch.manual_seed(0)
frozen = torch.randn(4, 4)  # requires_grad=False
trainable = torch.randn(4, 4, requires_grad=True)
x = torch.randn(2, 4)

print("frozen @ frozen:", (x @ frozen).grad_fn)
#> frozen @ frozen: None
print("any input requires grad:", type((x @ frozen @ trainable).grad_fn).__name__)
#> any input requires grad: MmBackward0
assert (x @ trainable).argmax().grad_fn is None  # integer output: not differentiable

model = nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 4))
model[0].requires_grad_(False)  # frozen prefix: nothing to record before layer 1
hidden = model[0](x)
assert hidden.grad_fn is None and model[1](hidden).grad_fn is not None

model.requires_grad_(True)
model[1].requires_grad_(False)  # frozen suffix: its input requires grad, so it records
hidden = model[0](x)
out = model[1](hidden)
print("frozen last layer records:", type(out.grad_fn).__name__)
#> frozen last layer records: AddmmBackward0
assert out.requires_grad
