import sys
import warnings
from pathlib import Path

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
assert caught[0].category is DeprecationWarning
if sys.version_info >= (3, 14):  # torch 2.13.0 says this on Python 3.14 and later
    assert message.startswith("`torch.jit.script` is not supported in Python 3.14+")
else:
    assert message.startswith("`torch.jit.script` is deprecated.")
assert Path(caught[0].filename).name == "_script.py"  # attributed to torch's own code

scripted.eval()
print("eval: Dropout on:", not torch.equal(scripted(x), scripted(x)))
#> eval: Dropout on: False
scripted.train()
print("train: Dropout on:", not torch.equal(scripted(x), scripted(x)))
#> train: Dropout on: True
assert not torch.equal(scripted(x), scripted(x))
scripted.eval()
assert torch.allclose(scripted(x), model.eval()(x))
