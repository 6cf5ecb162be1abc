import warnings

import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Conv1d(3, 8, 3), nn.BatchNorm1d(8), nn.ReLU(), nn.Flatten(), nn.Linear(48, 4)
).eval()
x = torch.randn(5, 3, 8)

default = model(x)
with torch.no_grad():
    no_grad = model(x)
with torch.inference_mode():
    inference = model(x)
print("bitwise equal:", torch.equal(default, no_grad), torch.equal(default, inference))
#> bitwise equal: True True
assert torch.equal(default, no_grad) and torch.equal(default, inference)

# The exception: in eval mode, TransformerEncoder takes its fastpath only when no
# gradient is needed, and the fastpath writes 0 at padded positions.
warnings.filterwarnings("ignore", message="The PyTorch API of nested tensors")
layer = nn.TransformerEncoderLayer(16, 4, dim_feedforward=32, batch_first=True)
encoder = nn.TransformerEncoder(layer, num_layers=2).eval()
tokens = torch.randn(2, 5, 16)
padding = torch.tensor([[False] * 5, [False] * 3 + [True] * 2])
with_grad = encoder(tokens, src_key_padding_mask=padding)
with torch.no_grad():
    without_grad = encoder(tokens, src_key_padding_mask=padding)
same = torch.equal(with_grad[1, 3:], without_grad[1, 3:])
print("encoder, padded positions equal with and without grad:", same)
#> encoder, padded positions equal with and without grad: False
assert not same
