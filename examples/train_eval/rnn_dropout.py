import textwrap
import warnings

import torch
from torch import nn

torch.manual_seed(0)
x = torch.randn(4, 5, 8)

for kind in (nn.RNN, nn.LSTM, nn.GRU):
    rnn = kind(8, 8, num_layers=2, dropout=0.5, batch_first=True)  # between layers
    in_training, _ = rnn(x)
    rnn.eval()
    in_eval, _ = rnn(x)
    assert torch.equal(in_eval, rnn(x)[0])  # eval: deterministic
    assert not torch.allclose(in_training, in_eval)  # training: dropout was applied
print("RNN, LSTM, GRU: dropout between layers in training mode only")
#> RNN, LSTM, GRU: dropout between layers in training mode only

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    nn.LSTM(8, 8, num_layers=1, dropout=0.5)  # one layer: nothing to drop between
assert caught, "nn.LSTM(num_layers=1, dropout=0.5) did not warn"
message = str(caught[0].message)
print(textwrap.fill(message, width=80))
"""
dropout option adds dropout after all but last recurrent layer, so non-zero
dropout expects num_layers greater than 1, but got dropout=0.5 and num_layers=1
"""
assert message.startswith("dropout option adds dropout after all but last")
