import torch
from torch import nn

torch.manual_seed(0)
backbone = nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16), nn.ReLU())
head = nn.Linear(16, 2)  # new, trainable
model = nn.Sequential(backbone, head)

backbone.requires_grad_(False)  # no .grad, no optimizer state for the backbone
trainable = [p for p in model.parameters() if p.requires_grad]
optimizer = torch.optim.AdamW(trainable, lr=1e-2)

model.train()
backbone.eval()  # requires_grad=False does not freeze BatchNorm's running statistics

weights = backbone[0].weight.clone()
running_mean = backbone[1].running_mean.clone()
head_weight = head.weight.clone()
for _ in range(3):
    loss = nn.functional.cross_entropy(
        model(torch.randn(32, 8)), torch.randint(0, 2, (32,))
    )
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

print("trainable tensors:", len(trainable), "of", len(list(model.parameters())))
#> trainable tensors: 2 of 6
assert torch.equal(backbone[0].weight, weights)
assert torch.equal(backbone[1].running_mean, running_mean)
assert not torch.equal(head.weight, head_weight)
