import torch
from torch import nn

torch.manual_seed(0)
backbone = nn.Sequential(nn.Linear(8, 32), nn.BatchNorm1d(32), nn.ReLU())
head = nn.Linear(32, 2)
inputs, labels = torch.randn(128, 8), torch.randint(0, 2, (128,))

backbone.eval()  # fixed BatchNorm statistics, no Dropout: the same features every time
with torch.no_grad():  # no graph: the features are plain constants
    features = backbone(inputs)

optimizer = torch.optim.SGD(head.parameters(), lr=0.5)
losses = []
for _ in range(20):  # epochs over the cached features; the backbone never runs again
    loss = nn.functional.cross_entropy(head(features), labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    losses.append(loss.item())

assert not features.requires_grad and features.grad_fn is None
assert all(p.grad is None for p in backbone.parameters())
assert losses[-1] < losses[0]
print("features require grad:", features.requires_grad)
#> features require grad: False
print("head loss went down:", losses[-1] < losses[0])
#> head loss went down: True
