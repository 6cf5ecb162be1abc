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
# torch 2.13.0 says "is not supported in Python 3.14+" on Python 3.14 and later
said = (
    "is not supported in Python 3.14+"
    if sys.version_info >= (3, 14)
    else "is deprecated."
)
# one warning or more (script() also compiles the functions forward calls, the
# first time it meets them, through script()), all with the same text
for warning in caught:
    assert warning.category is DeprecationWarning
    assert str(warning.message).startswith(f"`torch.jit.script` {said}")
    assert Path(warning.filename).name == "_script.py"  # attributed to torch's own code

scripted.eval()
print("eval: Dropout on:", not torch.equal(scripted(x), scripted(x)))
#> eval: Dropout on: False
scripted.train()
print("train: Dropout on:", not torch.equal(scripted(x), scripted(x)))
#> train: Dropout on: True
assert not torch.equal(scripted(x), scripted(x))
scripted.eval()
assert torch.allclose(scripted(x), model.eval()(x))


def double(t):  # a Python function that forward calls
    return 2 * t


class Double(nn.Module):
    def forward(self, t):
        return double(t)


counts = []
for _ in range(2):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        torch.jit.script(Double())
    assert caught, "torch.jit.script did not warn"
    counts.append(len(caught))
# the first call also compiles double() through script(), which warns again
print("warnings per call:", counts)
#> warnings per call: [2, 1]
assert counts == [2, 1]
