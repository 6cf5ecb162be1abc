import copy

import torch

torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)  # a leaf
y = w * 2  # a non-leaf that requires grad

cloned = y.clone()  # new memory, still in the graph
print("clone():", cloned.requires_grad, type(cloned.grad_fn).__name__)
#> clone(): True CloneBackward0
assert cloned.data_ptr() != y.data_ptr()
cloned.sum().backward()
assert torch.equal(w.grad, torch.full((3,), 2.0))  # the gradient reached w

detached = y.detach()  # out of the graph, same memory
print("detach():", detached.requires_grad, detached.data_ptr() == y.data_ptr())
#> detach(): False True

copied = y.detach().clone()  # out of the graph, own memory
print("detach().clone():", copied.requires_grad, copied.data_ptr() == y.data_ptr())
#> detach().clone(): False False

leaf_copy = copy.deepcopy(w)  # a leaf: a new leaf, its .grad copied too
print("deepcopy(leaf):", leaf_copy.requires_grad, leaf_copy.is_leaf)
#> deepcopy(leaf): True True
assert leaf_copy.data_ptr() != w.data_ptr()
assert torch.equal(leaf_copy.grad, w.grad) and leaf_copy.grad is not w.grad

try:  # a non-leaf that requires grad
    copy.deepcopy(y)
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("deepcopy of a non-leaf did not raise")
print(message)
"""
Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at the moment.  If you were attempting to deepcopy a module, this may be because of a torch.nn.utils.weight_norm usage, see https://github.com/pytorch/pytorch/pull/103001
"""
assert copy.deepcopy(y.detach()).requires_grad is False  # detach first
