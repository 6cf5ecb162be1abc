import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 4), nn.Tanh(), nn.Linear(4, 4), nn.Linear(4, 1))
x = torch.randn(8, 4, requires_grad=True)

model(x).sum().backward()
reference = model[0].weight.grad.clone()
model.zero_grad()
x.grad = None

model[2].requires_grad_(False)  # freeze the middle layer
model(x).sum().backward()
for name, p in model.named_parameters():
    print(name, "grad:", None if p.grad is None else tuple(p.grad.shape))
    #> 0.weight grad: (4, 4)
    #> 0.bias grad: (4,)
    #> 2.weight grad: None
    #> 2.bias grad: None
    #> 3.weight grad: (1, 4)
    #> 3.bias grad: (1,)
print("input grad:", tuple(x.grad.shape))
#> input grad: (8, 4)

# The gradient passed through the frozen layer unchanged in value:
assert torch.allclose(model[0].weight.grad, reference)
