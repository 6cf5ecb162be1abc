import torch

torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
states = []

with torch.no_grad():
    states.append(torch.is_grad_enabled())
    with torch.no_grad():  # nesting the same mode changes nothing
        states.append(torch.is_grad_enabled())
    with torch.enable_grad():  # switches recording back on, inside no_grad
        states.append(torch.is_grad_enabled())
        y = w * 2
    states.append(torch.is_grad_enabled())  # back to the outer mode
states.append(torch.is_grad_enabled())

print("states:", " ".join(str(state) for state in states))
#> states: False False True False True
print("recorded inside enable_grad:", type(y.grad_fn).__name__)
#> recorded inside enable_grad: MulBackward0
assert states == [False, False, True, False, True]
y.sum().backward()
assert torch.equal(w.grad, torch.full_like(w, 2.0))
