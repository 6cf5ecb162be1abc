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
assert len(caught) == 2, [str(warning.message) for warning in caught]
trace_message, trace_module_message = (str(warning.message) for warning in caught)
print(trace_message)
#> `torch.jit.trace` is deprecated. Please switch to `torch.compile` or `torch.export`.
print(trace_module_message)
"""
`torch.jit.trace_method` is deprecated. Please switch to `torch.compile` or `torch.export`.
"""
assert caught[0].category is DeprecationWarning
# torch 2.13.0 says "is not supported in Python 3.14+" on Python 3.14 and later
said = (
    "is not supported in Python 3.14+"
    if sys.version_info >= (3, 14)
    else "is deprecated."
)
assert trace_message.startswith(f"`torch.jit.trace` {said}")
# trace() calls trace_module() for a module, and trace_module() warns too
assert trace_module_message.startswith(f"`torch.jit.trace_method` {said}")
for warning in caught:
    assert warning.category is DeprecationWarning
    assert Path(warning.filename).name == "_trace.py"  # attributed to torch's own code

traced.eval()
print("flag after .eval():", traced.training)
#> flag after .eval(): False
print("Dropout still on:", not torch.equal(traced(x), traced(x)))
#> Dropout still on: True
assert not traced.training and not torch.equal(traced(x), traced(x))

model.eval()  # trace again, after model.eval(), with the default check_trace=True
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    traced = torch.jit.trace(model, (x,))
assert caught, "torch.jit.trace did not warn"
# the check traces the module once more, and trace_module() warns again
kinds = [str(w.message).split(" ")[0] for w in caught]
print(kinds)
#> ['`torch.jit.trace`', '`torch.jit.trace_method`', '`torch.jit.trace_method`']
assert kinds == ["`torch.jit.trace`"] + ["`torch.jit.trace_method`"] * 2
traced.train()
print(
    "traced in eval, then .train(): Dropout on:", not torch.equal(traced(x), traced(x))
)
#> traced in eval, then .train(): Dropout on: False
assert traced.training and torch.equal(traced(x), traced(x))
