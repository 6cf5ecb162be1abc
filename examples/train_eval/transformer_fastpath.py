import warnings

import torch
from torch import nn

torch.manual_seed(0)
warnings.filterwarnings("ignore", message="The PyTorch API of nested tensors")
layer = nn.TransformerEncoderLayer(16, 4, dim_feedforward=32, batch_first=True)
encoder = nn.TransformerEncoder(layer, num_layers=2)  # enable_nested_tensor=True
x = torch.randn(2, 5, 16)
padding = torch.tensor([[False] * 5, [False] * 3 + [True] * 2])  # 2nd: 2 pads

encoder.eval()
with_grad = encoder(x, src_key_padding_mask=padding)
with torch.no_grad():  # eval mode and no grad needed: the fastpath
    fast = encoder(x, src_key_padding_mask=padding)

print("padded positions, eval with grad:", bool(with_grad[1, 3:].abs().sum() > 0))
#> padded positions, eval with grad: True
print("padded positions, eval + no_grad:", bool((fast[1, 3:] == 0).all()))
#> padded positions, eval + no_grad: True
assert torch.allclose(fast[0], with_grad[0], atol=1e-4)  # real tokens agree
assert torch.allclose(fast[1, :3], with_grad[1, :3], atol=1e-4)
with torch.inference_mode():  # inference_mode needs no gradient either
    assert (encoder(x, src_key_padding_mask=padding)[1, 3:] == 0).all()
encoder.requires_grad_(False)  # nor does a frozen model on an input without grad
assert (encoder(x, src_key_padding_mask=padding)[1, 3:] == 0).all()
encoder.requires_grad_(True)

encoder.train()  # training mode never takes the fastpath
with torch.no_grad():
    assert not (encoder(x, src_key_padding_mask=padding)[1, 3:] == 0).all()

# The check for "no gradient needed" reads the input and the FIRST layer only: with
# it frozen and a later layer trainable, the forward fails.
encoder.eval()
encoder.layers[0].requires_grad_(False)
try:
    encoder(x, src_key_padding_mask=padding)
except AssertionError as error:
    message = str(error)
else:
    raise AssertionError("a trainable later layer did not fail the fastpath")
print(message.split(".")[0])
#> MultiheadAttention does not support NestedTensor outside of its fast path
assert message.startswith("MultiheadAttention does not support NestedTensor")
encoder.requires_grad_(True)

# A final norm runs after the padding is filled with 0: the padded positions then
# hold the norm of a zero vector (a LayerNorm's bias).
normed = nn.TransformerEncoder(layer, num_layers=2, norm=nn.LayerNorm(16)).eval()
with torch.no_grad():
    normed.norm.bias.fill_(0.5)
    out = normed(x, src_key_padding_mask=padding)
print(
    "with a final LayerNorm, padded positions hold its bias:",
    bool((out[1, 3:] == 0.5).all()),
)
#> with a final LayerNorm, padded positions hold its bias: True
assert (out[1, 3:] == 0.5).all()
