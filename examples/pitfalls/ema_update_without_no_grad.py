import copy

import torch
from torch import nn

torch.manual_seed(0)
student = nn.Linear(4, 2)


def ema_update(teacher: nn.Module, decay: float = 0.9) -> None:
    for t, s in zip(teacher.parameters(), student.parameters(), strict=True):
        t.mul_(decay).add_(s, alpha=1 - decay)


# The symptom, first form: the teacher's parameters still require grad
teacher = copy.deepcopy(student)
try:
    ema_update(teacher)
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("ema_update(teacher) did not raise RuntimeError")
print(message)
#> a leaf Variable that requires grad is being used in an in-place operation.
assert message.startswith(
    "a leaf Variable that requires grad is being used in an in-place"
)

# Second form, silent: a frozen teacher becomes part of the student's graph
teacher = copy.deepcopy(student).requires_grad_(False)
ema_update(teacher)
assert teacher.weight.requires_grad and teacher.weight.grad_fn is not None
(into_student,) = torch.autograd.grad(teacher.weight.sum(), student.weight)
assert torch.allclose(into_student, torch.full_like(into_student, 0.1))  # 1 - decay
print(
    "frozen teacher after the update, grad_fn:", type(teacher.weight.grad_fn).__name__
)
#> frozen teacher after the update, grad_fn: AddBackward0

# The fix: update under no_grad
teacher = copy.deepcopy(student).requires_grad_(False)
with torch.no_grad():
    ema_update(teacher)
assert not teacher.weight.requires_grad and teacher.weight.grad_fn is None
print("under no_grad, grad_fn:", teacher.weight.grad_fn)
#> under no_grad, grad_fn: None
