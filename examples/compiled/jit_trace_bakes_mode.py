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
    traced = torch.jit.trace(model, (x,), check_trace=False)  # traced in train mode
assert caught, "torch.jit.trace did not warn"
message = str(caught[0].message)
print(message)
#> `torch.jit.trace` is deprecated. Please switch to `torch.compile` or `torch.export`.
assert caught[0].category is DeprecationWarning
if sys.version_info >= (3, 14):  # torch 2.13.0 says this on Python 3.14 and later
    assert message.startswith("`torch.jit.trace` is not supported in Python 3.14+")
else:
    assert message.startswith("`torch.jit.trace` is deprecated.")
assert Path(caught[0].filename).name == "_trace.py"  # attributed to torch's own code

traced.eval()
print("flag after .eval():", traced.training)
#> flag after .eval(): False
print("Dropout still on:", not torch.equal(traced(x), traced(x)))
#> Dropout still on: True
assert not traced.training and not torch.equal(traced(x), traced(x))

model.eval()  # trace again, after model.eval()
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    traced = torch.jit.trace(model, (x,))
traced.train()
print(
    "traced in eval, then .train(): Dropout on:", not torch.equal(traced(x), traced(x))
)
#> traced in eval, then .train(): Dropout on: False
assert traced.training and torch.equal(traced(x), traced(x))
