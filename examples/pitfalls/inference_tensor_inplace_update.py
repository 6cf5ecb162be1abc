import textwrap

import torch
from torch import nn


@torch.inference_mode()
def load_model() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Linear(8, 16), nn.BatchNorm1d(16)
    )  # built in inference mode


# The symptom: BatchNorm in training updates its buffers in place
model = load_model()
assert model[1].running_mean.is_inference()
try:
    model(torch.randn(32, 8))
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("model(torch.randn(32, 8)) did not raise RuntimeError")
print(textwrap.fill(message, width=80))
"""
Inplace update to inference tensor outside InferenceMode is not allowed.You can
make a clone to get a normal tensor before doing inplace update.See
https://github.com/pytorch/rfcs/pull/17 for more details.
"""
assert message.startswith("Inplace update to inference tensor outside InferenceMode")
# The error comes after the update: BatchNorm had already counted the batch,
# and never reached its running statistics
print("num_batches_tracked after the error:", model[1].num_batches_tracked.item())
#> num_batches_tracked after the error: 1
assert model[1].num_batches_tracked == 1
assert torch.count_nonzero(model[1].running_mean) == 0  # still the initial zeros

# The same through a view, and again the view's update is made before the error
running_var = model[1].running_var  # ones at first
try:
    running_var[:4].mul_(2)
except RuntimeError as error:
    assert str(error) == message
else:
    raise AssertionError("an in-place update of a view did not raise RuntimeError")
assert running_var[:4].eq(2).all() and running_var[4:].eq(1).all()

# Not checked: an update through .detach() or .data (each has a version counter
# of its own, and the check is made when the counter is bumped)
running_mean = model[1].running_mean
assert running_mean.detach()._version == 0 == running_mean.data._version
before = running_mean.clone()
running_mean.detach().add_(1)
running_mean.data.add_(1)
assert torch.equal(running_mean, before + 2) and running_mean.is_inference()
print(
    "through .detach() and .data: no error, changed:",
    running_mean.ne(before).all().item(),
)
#> through .detach() and .data: no error, changed: True

# The fix: build (or load) the model outside inference_mode
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16))
model(torch.randn(32, 8))
assert not model[1].running_mean.is_inference()
