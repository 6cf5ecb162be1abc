import warnings

import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5))
x = torch.randn(8, 4)

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    scripted = torch.jit.script(model)
assert caught, "torch.jit.script did not warn"
message = str(caught[0].message)
print(message)
"""
`torch.jit.script` is deprecated. Please switch to `torch.compile` or `torch.export`.
"""
assert caught[0].category is DeprecationWarning and "deprecated" in message

scripted.eval()
print("eval: Dropout on:", not torch.equal(scripted(x), scripted(x)))
#> eval: Dropout on: False
scripted.train()
print("train: Dropout on:", not torch.equal(scripted(x), scripted(x)))
#> train: Dropout on: True
assert not torch.equal(scripted(x), scripted(x))
scripted.eval()
assert torch.allclose(scripted(x), model.eval()(x))
