import torch
from torch import nn

torch.manual_seed(0)
model = nn.Linear(4, 1)
x, target = torch.randn(8, 4), torch.randn(8, 1)
nn.functional.mse_loss(model(x), target).backward()
lr = 0.1

try:
    model.weight -= lr * model.weight.grad  # a manual SGD step, outside no_grad
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError(
        "model.weight -= lr * model.weight.grad did not raise RuntimeError"
    )
print(message)
#> a leaf Variable that requires grad is being used in an in-place operation.
assert message.startswith("a leaf Variable that requires grad")

before = model.weight.clone()
with torch.no_grad():  # the update itself must not be recorded
    for p in model.parameters():
        p -= lr * p.grad
assert torch.allclose(model.weight, before - lr * model.weight.grad)
assert model.weight.requires_grad and model.weight.grad_fn is None  # still a leaf

for init_by_hand in (lambda p: p.fill_(0.0), lambda p: p.zero_(), lambda p: p.copy_(p)):
    try:  # initialisation by hand is an in-place update too
        init_by_hand(model.bias)
    except RuntimeError as error:
        assert str(error).startswith("a leaf Variable that requires grad")
    else:
        raise AssertionError("an in-place update of a parameter ran outside no_grad")
with torch.no_grad():
    model.bias.fill_(0.0)
nn.init.zeros_(model.bias)  # nn.init wraps its update in no_grad for you
torch.optim.SGD(model.parameters(), lr=lr).step()  # and so does an optimizer
print("still a trainable leaf:", model.weight.is_leaf and model.weight.requires_grad)
#> still a trainable leaf: True
