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

# Not every layer: a multi-layer LSTM may differ in the last bits. On the CPU with
# oneDNN (mkldnn) it does; with oneDNN switched off the outputs are bitwise equal.
warnings.filterwarnings("ignore", message="TF32 acceleration on top of oneDNN")
lstm = nn.LSTM(8, 8, num_layers=2).eval()
sequence = torch.randn(5, 3, 8)


def lstm_outputs() -> tuple[torch.Tensor, torch.Tensor]:
    with_grad = lstm(sequence)[0]
    with torch.no_grad():
        return with_grad, lstm(sequence)[0]


with_grad, without_grad = lstm_outputs()
print(
    "2-layer LSTM, close with and without grad:",
    torch.allclose(with_grad, without_grad),
)
#> 2-layer LSTM, close with and without grad: True
assert torch.allclose(with_grad, without_grad)
if sequence.is_cpu and torch.backends.mkldnn.is_available():  # a CPU fact
    assert not torch.equal(with_grad, without_grad)  # the last bits differ
    with torch.backends.mkldnn.flags(enabled=False):
        assert torch.equal(*lstm_outputs())  # oneDNN off: bitwise equal

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
