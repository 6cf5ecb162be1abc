import torch

torch.manual_seed(0)
x = torch.randn(3, requires_grad=True)
y = x * 2
d = y.detach()

print("same memory:", d.data_ptr() == y.data_ptr())
#> same memory: True
d[0] = 0.0  # writing through the detached tensor...
print("y sees the write:", y[0].item() == 0.0)
#> y sees the write: True
print("shared version counter:", y._version, d._version)
#> shared version counter: 1 1
assert d.data_ptr() == y.data_ptr() and y._version == d._version == 1

copy = y.detach().clone()  # an independent copy
copy[1] = 0.0
assert copy.data_ptr() != y.data_ptr() and y[1].item() != 0.0
