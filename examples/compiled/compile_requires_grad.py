import torch
from torch import nn
from torch._dynamo.testing import CompileCounterWithBackend

torch._dynamo.reset()  # a fresh compile cache, as in a new process
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 1))
counter = CompileCounterWithBackend("aot_eager")  # counts compilations
compiled = torch.compile(model, backend=counter)
x = torch.randn(8, 4)


def train_step() -> None:
    model.zero_grad()
    compiled(x).sum().backward()


train_step()
print("all trainable:", counter.frame_count)
#> all trainable: 1
model[0].requires_grad_(False)  # freeze the first layer
train_step()
print("first layer frozen:", counter.frame_count)
#> first layer frozen: 2
assert model[0].weight.grad is None and model[1].weight.grad is not None
for _ in range(3):  # unfreeze and freeze again: both graphs are reused
    model[0].requires_grad_(True)
    train_step()
    model[0].requires_grad_(False)
    train_step()
print("after 3 more toggles:", counter.frame_count)
#> after 3 more toggles: 2
assert counter.frame_count == 2

with torch.no_grad():  # no backward, but requires_grad is still guarded
    compiled(x)
    print("no_grad:", counter.frame_count)
    #> no_grad: 3
    model[0].requires_grad_(True)
    compiled(x)
    print("no_grad, first layer unfrozen:", counter.frame_count)
    #> no_grad, first layer unfrozen: 4
assert counter.frame_count == 4  # pytorch/pytorch#131975 still holds in 2.13
