import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)


class Wrong(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.dropout(x, p=0.5)  # training=True by default


class Right(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.dropout(x, p=0.5, training=self.training)


x = torch.ones(4, 8)

# The symptom: eval() cannot switch off a functional dropout
wrong = Wrong().eval()
assert (wrong(x) == 0).any()
print(
    "F.dropout without training=, after eval(): still drops:",
    bool((wrong(x) == 0).any()),
)
#> F.dropout without training=, after eval(): still drops: True

# The fix: pass training=self.training (or use an nn.Dropout module)
right = Right().eval()
assert torch.equal(right(x), x)
assert (right.train()(x) == 0).any()
print(
    "with training=self.training, after eval(): identity:",
    torch.equal(right.eval()(x), x),
)
#> with training=self.training, after eval(): identity: True
