import torch

torch.manual_seed(0)
x = torch.randn(3, requires_grad=True)

y = x.exp()
y.data.zero_()  # .data: same memory, but the version counter is not bumped
y.sum().backward()  # no error...
print("gradient after .data:", " ".join(f"{g:g}" for g in x.grad.tolist()))
#> gradient after .data: 0 0 0
print("correct gradient is exp(x):", torch.allclose(x.grad, x.exp()))
#> correct gradient is exp(x): False
assert torch.equal(x.grad, torch.zeros(3))  # ...and silently wrong

x.grad = None
y = x.exp()
y.detach().zero_()  # detach(): the same write is caught at backward
caught = False
try:
    y.sum().backward()
except RuntimeError:
    caught = True
print("detach() write caught:", caught)
#> detach() write caught: True
