import torch
from torch import nn

torch.manual_seed(0)
backbone = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU())
head = nn.Linear(8, 2)
model = nn.Sequential(backbone, head)
x, y = torch.randn(32, 8), torch.randint(0, 2, (32,))

backbone.requires_grad_(False)
optimizer = torch.optim.AdamW(head.parameters(), lr=1e-2)  # stage 1: the head only


def train_steps(n: int) -> None:
    for _ in range(n):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()


train_steps(3)

backbone[2].requires_grad_(True)  # stage 2: unfreeze the last backbone layer
weight = backbone[2].weight.clone()
train_steps(1)
assert torch.equal(
    backbone[2].weight, weight
)  # it got a .grad, but no optimizer owns it
assert backbone[2].weight.grad is not None

optimizer.add_param_group({"params": backbone[2].parameters(), "lr": 1e-3})
train_steps(1)
assert not torch.equal(backbone[2].weight, weight)
print("groups and lr:", ", ".join(str(g["lr"]) for g in optimizer.param_groups))
#> groups and lr: 0.01, 0.001

try:
    optimizer.add_param_group({"params": backbone[2].parameters()})  # once only
except ValueError as error:
    message = str(error)
else:
    raise AssertionError("adding a parameter group twice did not raise ValueError")
assert message.startswith("some parameters appear in more than one parameter group")
print(message)
#> some parameters appear in more than one parameter group
