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
