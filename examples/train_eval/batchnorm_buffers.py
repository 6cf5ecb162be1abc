import torch
from torch import nn

torch.manual_seed(0)
bn = nn.BatchNorm1d(3)

print("parameters:", ", ".join(name for name, _ in bn.named_parameters()))
#> parameters: weight, bias
print("buffers:", ", ".join(name for name, _ in bn.named_buffers()))
#> buffers: running_mean, running_var, num_batches_tracked
print("state_dict:", ", ".join(bn.state_dict()))
#> state_dict: weight, bias, running_mean, running_var, num_batches_tracked
assert not any(b.requires_grad for b in bn.buffers())

optimizer = torch.optim.SGD(bn.parameters(), lr=0.1)  # buffers are not in it
bn(torch.randn(8, 3) + 5).pow(2).sum().backward()
assert bn.running_mean.grad is None and bn.weight.grad is not None
running_mean = bn.running_mean.clone()
optimizer.step()
assert torch.equal(bn.running_mean, running_mean)  # step() never touches buffers

copy = nn.BatchNorm1d(3).eval()
copy.load_state_dict(bn.state_dict())  # saving and loading carries the statistics
assert torch.equal(copy.running_var, bn.running_var)
assert copy.num_batches_tracked.item() == 1
