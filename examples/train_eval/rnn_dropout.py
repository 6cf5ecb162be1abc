import textwrap
import warnings

import torch
from torch import nn

torch.manual_seed(0)
lstm = nn.LSTM(8, 8, num_layers=2, dropout=0.5, batch_first=True)  # between layers
x = torch.randn(4, 5, 8)

in_training, _ = lstm(x)
lstm.eval()
in_eval, _ = lstm(x)
assert torch.equal(in_eval, lstm(x)[0])  # eval: deterministic
print(
    "dropout between layers only in training:", not torch.allclose(in_training, in_eval)
)
#> dropout between layers only in training: True

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    nn.LSTM(8, 8, num_layers=1, dropout=0.5)  # one layer: nothing to drop between
print(textwrap.fill(str(caught[0].message), width=80))
"""
dropout option adds dropout after all but last recurrent layer, so non-zero
dropout expects num_layers greater than 1, but got dropout=0.5 and num_layers=1
"""
assert str(caught[0].message).startswith(
    "dropout option adds dropout after all but last"
)
