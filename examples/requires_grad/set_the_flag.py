import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 2))

t = torch.randn(3)
t.requires_grad_()  # a tensor: in place, returns the tensor
assert t.requires_grad

model[0].bias.requires_grad = False  # one parameter
assert not model[0].bias.requires_grad and model[0].weight.requires_grad

same = model[2].requires_grad_(False)  # a whole module: every parameter in it
assert same is model[2]  # returns self, so it chains
assert not any(p.requires_grad for p in model[2].parameters())

model.requires_grad_(True)  # reversible at any time
assert all(p.requires_grad for p in model.parameters())
print("frozen:", [n for n, p in model.named_parameters() if not p.requires_grad])
#> frozen: []

frozen = nn.Linear(4, 4).requires_grad_(False)  # freeze where it is built
print("built frozen:", frozen.weight.requires_grad)
#> built frozen: False
