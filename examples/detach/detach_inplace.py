import torch

torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)

hidden = torch.zeros(3)
for _ in range(3):  # truncated backpropagation through time
    hidden = torch.tanh(hidden + w)
    hidden.sum().backward()
    hidden.detach_()  # cut the graph here, in place: the next step starts fresh
    assert hidden.is_leaf and hidden.grad_fn is None and not hidden.requires_grad
print("after detach_(): leaf, requires_grad =", hidden.is_leaf, hidden.requires_grad)
#> after detach_(): leaf, requires_grad = True False

view = (w * 2)[:2]
try:
    view.detach_()
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("view.detach_() did not raise RuntimeError")
print(message.split(" Use")[0])
#> Can't detach views in-place.
assert message.startswith("Can't detach views in-place. Use detach() instead.")
assert view.detach().grad_fn is None  # detach() works on views
