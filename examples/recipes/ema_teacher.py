import copy

import torch
from torch import nn

torch.manual_seed(0)
student = nn.Sequential(
    nn.Linear(8, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.1), nn.Linear(16, 2)
)
teacher = copy.deepcopy(student).requires_grad_(False).eval()


@torch.no_grad()  # the update itself must not be recorded
def ema_update(teacher: nn.Module, student: nn.Module, decay: float) -> None:
    for t, s in zip(teacher.parameters(), student.parameters(), strict=True):
        t.lerp_(s, 1 - decay)  # t = decay * t + (1 - decay) * s
    for t, s in zip(teacher.buffers(), student.buffers(), strict=True):
        t.copy_(s)  # BatchNorm statistics: copied from the student


optimizer = torch.optim.SGD(student.parameters(), lr=0.1)
decay = 0.99
for _ in range(3):
    x = torch.randn(32, 8)
    target = teacher(x)  # eval mode: no Dropout noise, running statistics
    assert target.grad_fn is None  # nothing in the teacher requires grad
    loss = nn.functional.mse_loss(student(x), target)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

    before = teacher[0].weight.clone()
    ema_update(teacher, student, decay)
    expected = decay * before + (1 - decay) * student[0].weight
    assert torch.allclose(teacher[0].weight, expected, atol=1e-6)

assert not teacher.training and student.training
assert all(p.grad is None and not p.requires_grad for p in teacher.parameters())
assert torch.equal(teacher(x), teacher(x))  # a stable target
print("teacher requires_grad:", teacher[0].weight.requires_grad)
#> teacher requires_grad: False
print("teacher training:", teacher.training)
#> teacher training: False
