import torch
from torch import nn

torch.manual_seed(0)
model = nn.Linear(4, 1)
x = torch.randn(8, 4)


def evaluate_wrong() -> float:
    torch.set_grad_enabled(False)  # a plain call: stays off after return
    return model(x).mean().item()


def evaluate_right() -> float:
    with torch.set_grad_enabled(False):  # restored on exit
        return model(x).mean().item()


# The symptom: training after the evaluation records nothing
evaluate_wrong()
try:
    model(x).mean().backward()
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("model(x).mean().backward() did not raise RuntimeError")
print(message)
#> element 0 of tensors does not require grad and does not have a grad_fn
assert message.startswith("element 0 of tensors does not require grad")
torch.set_grad_enabled(True)

# The fix: use it as a context manager (or no_grad)
evaluate_right()
assert torch.is_grad_enabled()
model(x).mean().backward()
assert model.weight.grad is not None
