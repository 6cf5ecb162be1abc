# requires: cuda
# cuDNN runs RNN/LSTM/GRU on CUDA only: on the CPU this error does not exist.
import sys

import torch
from torch import nn

if not (torch.cuda.is_available() and torch.backends.cudnn.is_available()):
    sys.exit(
        "This example needs a CUDA GPU with cuDNN (cuDNN's RNN kernels run on CUDA "
        "only), and this machine has none: stopped."
    )
torch.set_default_device(torch.accelerator.current_accelerator())  # as the harness does
torch.manual_seed(0)
lstm = nn.LSTM(8, 16, batch_first=True)
head = nn.Linear(16, 2)
x = torch.randn(3, 5, 8)
assert x.is_cuda  # CUDA is the default device


def input_gradient(x: torch.Tensor) -> torch.Tensor:
    x = x.clone().requires_grad_()
    out, _ = lstm(x)
    head(out[:, -1]).max(dim=1).values.sum().backward()
    return x.grad


# The symptom: a saliency map of an LSTM in eval mode
lstm.eval()
try:
    input_gradient(x)
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("input_gradient(x) did not raise RuntimeError")
print(message.splitlines()[0])
#> cudnn RNN backward can only be called in training mode
assert message.startswith("cudnn RNN backward can only be called in training mode")

# Fix 1: cuDNN off for this forward (the kernel is chosen in forward, not backward)
with torch.backends.cudnn.flags(enabled=False):
    without_cudnn = input_gradient(x)
print("cuDNN off: input gradient shape:", tuple(without_cudnn.shape))
#> cuDNN off: input gradient shape: (3, 5, 8)

# Fix 2: the LSTM alone in training mode; with dropout=0 (the default) and one
# layer, training mode changes nothing in its output
lstm.train()
assert lstm.dropout == 0
in_training = input_gradient(x)
same = torch.allclose(in_training, without_cudnn, atol=1e-3)  # TF32 rounding
assert same
print("LSTM in training mode: same gradient:", same)
#> LSTM in training mode: same gradient: True
