import torch
from torch import nn

torch._dynamo.reset()  # a fresh compile cache, as in a new process
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4), nn.Dropout(0.5))
compiled = torch.compile(model, backend="aot_eager")
x = torch.randn(8, 4)

model.eval()  # switch the original module...
print("after model.eval():", model.training, compiled.training)
#> after model.eval(): False False
assert not compiled.training
compiled.train()  # ...or the compiled wrapper: both report the same flag
print("after compiled.train():", model.training, compiled.training)
#> after compiled.train(): True True
assert all(m.training for m in model.modules())

mean_before = model[1].running_mean.clone()
first, second = compiled(x), compiled(x)  # training: Dropout on, BatchNorm updates
print("training: Dropout differs per call:", not torch.equal(first, second))
#> training: Dropout differs per call: True
print(
    "training: running_mean moved:", not torch.equal(model[1].running_mean, mean_before)
)
#> training: running_mean moved: True
assert not torch.equal(first, second)

compiled.eval()
assert not model.training and not model[2].training
mean_before = model[1].running_mean.clone()
with torch.no_grad():  # as in an evaluation loop
    first, second = compiled(x), compiled(x)
print("eval: Dropout differs per call:", not torch.equal(first, second))
#> eval: Dropout differs per call: False
print("eval: running_mean moved:", not torch.equal(model[1].running_mean, mean_before))
#> eval: running_mean moved: False
assert torch.equal(model[1].running_mean, mean_before)
with torch.no_grad():
    assert torch.allclose(first, model(x), atol=1e-5)  # the same as eager mode
