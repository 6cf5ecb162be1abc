import copy

import torch
from torch import nn

torch.manual_seed(0)
student = nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16), nn.Dropout(0.2))
teacher = copy.deepcopy(student).requires_grad_(False)  # but still in train mode
x = torch.randn(32, 8) * 4 + 2

# The symptom: no_grad does not change how layers behave
with torch.no_grad():
    running_mean = teacher[1].running_mean.clone()
    first, second = teacher(x), teacher(x)
assert not torch.equal(first, second)  # Dropout noise in the "targets"
assert not torch.equal(teacher[1].running_mean, running_mean)  # statistics drift
print(
    "train-mode teacher: targets differ call to call:", not torch.equal(first, second)
)
#> train-mode teacher: targets differ call to call: True

# The fix: eval() as well
teacher.eval()
with torch.no_grad():
    running_mean = teacher[1].running_mean.clone()
    first, second = teacher(x), teacher(x)
assert torch.equal(first, second)
assert torch.equal(teacher[1].running_mean, running_mean)
print("eval-mode teacher: stable targets:", torch.equal(first, second))
#> eval-mode teacher: stable targets: True
