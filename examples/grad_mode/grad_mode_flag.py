import torch

torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)

print("default:", torch.is_grad_enabled())
#> default: True
with torch.no_grad():
    print("inside no_grad:", torch.is_grad_enabled())
    #> inside no_grad: False
    y = w * 2
print("after the block:", torch.is_grad_enabled())
#> after the block: True

print("result requires_grad:", y.requires_grad)
#> result requires_grad: False
print("result grad_fn:", y.grad_fn)
#> result grad_fn: None
assert not y.requires_grad and y.grad_fn is None and y.is_leaf
assert w.requires_grad  # the input is untouched

# Not every result: a view, and an in-place op on a tensor with a graph
recorded = w * 3  # recorded outside the block: grad_fn MulBackward0
grad_fn = recorded.grad_fn
with torch.no_grad():
    view = w[:2]  # a view of a tensor that requires grad
    recorded.mul_(2)  # in place: the flag and grad_fn stay as they were
print("view requires_grad:", view.requires_grad)
#> view requires_grad: True
print("after mul_:", recorded.requires_grad, type(recorded.grad_fn).__name__)
#> after mul_: True MulBackward0
assert view.requires_grad and view.grad_fn is None
assert recorded.requires_grad and recorded.grad_fn is grad_fn
