import torch
from torch import nn

torch.manual_seed(0)
rrelu = nn.RReLU(lower=0.1, upper=0.3)
x = -torch.ones(1000)  # negative inputs: the output is -slope

slopes = -rrelu(x)  # training mode: a random slope per element
print("training: slopes vary:", slopes.std().item() > 0)
#> training: slopes vary: True
assert slopes.min() >= 0.1 and slopes.max() <= 0.3

rrelu.eval()
slopes = -rrelu(x)  # eval: the fixed slope (lower + upper) / 2
print("eval: slope", round(slopes.mean().item(), 4))
#> eval: slope 0.2
assert torch.allclose(slopes, torch.full_like(slopes, 0.2))
