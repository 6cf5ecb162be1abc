import torch

torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)


def step(is_train: bool) -> torch.Tensor:
    with torch.set_grad_enabled(is_train):  # one code path for train and eval
        return w * 2


assert step(True).requires_grad and not step(False).requires_grad

torch.set_grad_enabled(False)  # a plain call: the mode stays off...
print("after a plain call:", torch.is_grad_enabled())
#> after a plain call: False
assert not (w * 2).requires_grad  # ...for everything that follows in this thread
torch.set_grad_enabled(True)

switch = torch.set_grad_enabled(False)  # creating it already switches
print("after creating it, before with:", torch.is_grad_enabled())
#> after creating it, before with: False
with switch:
    pass
print("after the with block:", torch.is_grad_enabled())
#> after the with block: True

previous = torch.is_grad_enabled()  # the plain call, done safely
torch.set_grad_enabled(False)
try:
    y = w * 2
finally:
    torch.set_grad_enabled(previous)
assert torch.is_grad_enabled() and not y.requires_grad
