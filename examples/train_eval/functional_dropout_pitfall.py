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
