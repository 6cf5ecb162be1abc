import warnings

import torch
from torch import nn

torch.manual_seed(0)
x = torch.randn(2, 5, 16)  # (batch, sequence, features)
pad_end = torch.tensor([[False] * 5, [False] * 3 + [True] * 2])  # real tokens first
pad_start = torch.tensor([[False] * 5, [True] * 2 + [False] * 3])  # padding first


def padded_outputs_are_zero(pad=pad_end, src_mask=None, **options) -> bool:
    layer_options = {"batch_first": True, "nhead": 4, **options}
    batch_first = layer_options["batch_first"]
    layer = nn.TransformerEncoderLayer(16, dim_feedforward=32, **layer_options)
    encoder = nn.TransformerEncoder(layer, num_layers=2).eval()
    src = x if batch_first else x.transpose(0, 1)  # (sequence, batch, features)
    with torch.no_grad():
        out = encoder(src, mask=src_mask, src_key_padding_mask=pad)
    out = out if batch_first else out.transpose(0, 1)
    return bool((out[1][pad[1]] == 0).all())


with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    nn.TransformerEncoder(nn.TransformerEncoderLayer(16, 4), num_layers=2)
assert caught, "nn.TransformerEncoder did not warn"
message = str(caught[0].message)
print(message)
"""
enable_nested_tensor is True, but self.use_nested_tensor is False because encoder_layer.self_attn.batch_first was not True(use batch_first for better inference performance)
"""
assert "batch_first was not True" in message  # the default batch_first=False

warnings.filterwarnings("ignore", message="enable_nested_tensor is True")
warnings.filterwarnings("ignore", message="The PyTorch API of nested tensors")
cases = {
    "batch_first=True, eval, no_grad": padded_outputs_are_zero(),
    "batch_first=False (the default)": padded_outputs_are_zero(batch_first=False),
    "norm_first=True": padded_outputs_are_zero(norm_first=True),
    "odd nhead": padded_outputs_are_zero(nhead=1),
    "padding at the start": padded_outputs_are_zero(pad=pad_start),
    "with a src_mask": padded_outputs_are_zero(
        src_mask=torch.zeros(5, 5, dtype=torch.bool)
    ),
}
for case, zero in cases.items():
    print(f"{case}: padded outputs are 0 = {zero}")
    #> batch_first=True, eval, no_grad: padded outputs are 0 = True
    #> batch_first=False (the default): padded outputs are 0 = False
    #> norm_first=True: padded outputs are 0 = False
    #> odd nhead: padded outputs are 0 = False
    #> padding at the start: padded outputs are 0 = False
    #> with a src_mask: padded outputs are 0 = False
assert list(cases.values()) == [True] + [False] * (len(cases) - 1)
