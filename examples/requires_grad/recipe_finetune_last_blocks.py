import torch
from torch import nn

torch.manual_seed(0)
blocks = nn.Sequential(*(nn.Sequential(nn.Linear(16, 16), nn.ReLU()) for _ in range(6)))
model = nn.Sequential(blocks, nn.Linear(16, 3))

model.requires_grad_(False)
blocks[-2:].requires_grad_(True)  # the last two blocks...
model[1].requires_grad_(True)  # ...and the head
optimizer = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.1)

before = [b[0].weight.clone() for b in blocks]
model(torch.randn(8, 16)).sum().backward()
optimizer.step()
changed = [not torch.equal(b[0].weight, w) for b, w in zip(blocks, before, strict=True)]
print("block changed:", ", ".join(str(c) for c in changed))
#> block changed: False, False, False, False, True, True
assert changed == [False] * 4 + [True] * 2
