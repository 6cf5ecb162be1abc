import torch
from torch import nn

torch.manual_seed(0)
emb = nn.Embedding(6, 3)
k = 2  # keep rows 0 and 1 (e.g. pretrained tokens), train rows 2 to 5 (new tokens)
ids = torch.arange(6)

assert not emb.weight[:k].is_leaf  # a slice is a new tensor, computed from the weight
try:  # requires_grad belongs to a whole tensor
    emb.weight[:k].requires_grad_(False)
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("requires_grad_ on a slice did not raise")
print(message)
"""
you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().
"""

mask = torch.ones(6, 1)
mask[:k] = 0
emb.weight.register_hook(lambda grad: grad * mask)  # zero the rows' gradient
opt = torch.optim.SGD(emb.parameters(), lr=0.1)  # no momentum, no weight decay
before = emb.weight.detach().clone()
for _ in range(3):
    opt.zero_grad()
    emb(ids).pow(2).sum().backward()
    opt.step()
print("gradient of rows 0-1:", emb.weight.grad[:k].abs().sum().item())
#> gradient of rows 0-1: 0.0
print("rows 0-1 unchanged:", torch.equal(emb.weight[:k], before[:k]))
#> rows 0-1 unchanged: True
print("rows 2-5 changed:", not torch.equal(emb.weight[k:], before[k:]))
#> rows 2-5 changed: True
assert emb.weight.requires_grad and emb.weight.grad is not None  # zeros, not None
assert torch.equal(emb.weight[:k], before[:k])
assert not torch.equal(emb.weight[k:], before[k:])
