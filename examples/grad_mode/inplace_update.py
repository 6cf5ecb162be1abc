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
print(message)
#> a leaf Variable that requires grad is being used in an in-place operation.
assert message.startswith("a leaf Variable that requires grad")

before = model.weight.clone()
with torch.no_grad():  # the update itself must not be recorded
    for p in model.parameters():
        p -= lr * p.grad
assert torch.allclose(model.weight, before - lr * model.weight.grad)
assert model.weight.requires_grad and model.weight.grad_fn is None  # still a leaf

with torch.no_grad():
    model.bias.fill_(0.0)  # initialisation is an in-place update too
nn.init.zeros_(model.bias)  # nn.init wraps its update in no_grad for you
torch.optim.SGD(model.parameters(), lr=lr).step()  # and so does an optimizer
print("still a trainable leaf:", model.weight.is_leaf and model.weight.requires_grad)
#> still a trainable leaf: True
