import textwrap

import torch
from torch import nn


@torch.inference_mode()
def load_model() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Linear(8, 16), nn.BatchNorm1d(16)
    )  # built in inference mode


# The symptom: training BatchNorm updates its running statistics in place
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

# The fix: build (or load) the model outside inference_mode
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16))
model(torch.randn(32, 8))
assert not model[1].running_mean.is_inference()
