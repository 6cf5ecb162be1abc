import inspect

import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)
training = inspect.signature(F.dropout).parameters["training"]
print(training)
#> training: bool = True
assert training.default is True


class Wrong(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.dropout(x, 0.5)  # training=True, whatever the module's mode


class Right(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.dropout(x, 0.5, training=self.training)


x = torch.ones(8, 16)
wrong, right = Wrong().eval(), Right().eval()
print("Wrong drops in eval:", bool((wrong(x) == 0).any()))
#> Wrong drops in eval: True
print("Right drops in eval:", bool((right(x) == 0).any()))
#> Right drops in eval: False
assert torch.equal(right(x), x)
assert (right.train()(x) == 0).any()  # and it still drops in training mode

# The functional forms do not agree on the default:
defaults = {
    f.__name__: inspect.signature(f).parameters["training"].default
    for f in (F.dropout, F.dropout1d, F.dropout2d, F.dropout3d)
    + (F.alpha_dropout, F.feature_alpha_dropout)
}
print(", ".join(f"{name}={default}" for name, default in defaults.items()))
"""
dropout=True, dropout1d=True, dropout2d=True, dropout3d=True, alpha_dropout=False, feature_alpha_dropout=False
"""
assert list(defaults.values()) == [True] * 4 + [False] * 2  # not the same everywhere
