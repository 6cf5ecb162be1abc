import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.Linear(8, 1)).eval()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
before = [p.detach().clone() for p in model.parameters()]

loss = model(torch.randn(16, 4)).pow(2).mean()
loss.backward()  # works in eval mode
optimizer.step()  # and updates the weights
changed = [
    not torch.equal(b, p) for b, p in zip(before, model.parameters(), strict=True)
]
print("parameters changed in eval mode:", all(changed))
#> parameters changed in eval mode: True
print("BatchNorm statistics changed:", bool(model[1].num_batches_tracked))
#> BatchNorm statistics changed: False
assert all(changed) and model[1].num_batches_tracked == 0
