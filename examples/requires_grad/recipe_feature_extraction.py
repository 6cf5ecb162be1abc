import torch
from torch import nn

torch.manual_seed(0)
backbone = nn.Sequential(
    nn.Linear(16, 32), nn.BatchNorm1d(32), nn.ReLU()
)  # "pretrained"
head = nn.Linear(32, 3)  # new
model = nn.Sequential(backbone, head)

backbone.requires_grad_(False)
optimizer = torch.optim.AdamW(head.parameters(), lr=1e-2)
x, y = torch.randn(64, 16), torch.randint(0, 3, (64,))
backbone_state = {k: v.clone() for k, v in backbone.state_dict().items()}


def train_mode() -> None:
    model.train()
    backbone.eval()  # BatchNorm statistics stay as they were


def loss() -> torch.Tensor:
    return nn.functional.cross_entropy(model(x), y)


train_mode()
first = loss().item()
for _ in range(20):
    train_mode()
    optimizer.zero_grad()
    loss().backward()
    optimizer.step()

print("loss went down:", loss().item() < first)
#> loss went down: True
assert backbone(x).grad_fn is None  # frozen prefix: no graph inside the backbone
assert all(p.grad is None for p in backbone.parameters())
assert all(torch.equal(v, backbone.state_dict()[k]) for k, v in backbone_state.items())
