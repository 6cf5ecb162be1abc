import torch
from torch import nn
from torch._dynamo.testing import CompileCounterWithBackend

torch._dynamo.reset()  # a fresh compile cache, as in a new process
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4), nn.Dropout(0.5))
counter = CompileCounterWithBackend("aot_eager")  # counts compilations
compiled = torch.compile(model, backend=counter)
x = torch.randn(8, 4)

compiled(x)  # a training step: training mode, grad mode
print("train:", counter.frame_count)
#> train: 1
compiled.eval()
with torch.no_grad():  # an evaluation: eval mode, no_grad
    compiled(x)
print("eval:", counter.frame_count)
#> eval: 2
for _ in range(5):  # toggle back and forth
    compiled.train()
    compiled(x)
    compiled.eval()
    with torch.no_grad():
        compiled(x)
print("after 5 more toggles:", counter.frame_count)
#> after 5 more toggles: 2
assert counter.frame_count == 2  # one graph per mode, then both are reused
