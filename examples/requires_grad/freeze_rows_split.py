import torch
from torch import nn
from torch.nn import functional as F


class PartlyFrozenEmbedding(nn.Module):
    """Rows [:k] in a frozen parameter, rows [k:] in a trainable one."""

    def __init__(self, weight: torch.Tensor, k: int) -> None:
        super().__init__()
        self.frozen = nn.Parameter(weight[:k].clone(), requires_grad=False)
        self.trainable = nn.Parameter(weight[k:].clone())

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return F.embedding(ids, torch.cat([self.frozen, self.trainable]))


torch.manual_seed(0)
pretrained = nn.Embedding(6, 3)
emb = PartlyFrozenEmbedding(pretrained.weight.detach(), k=2)
ids = torch.arange(6)
assert torch.equal(emb(ids), pretrained(ids))  # the same embedding

opt = torch.optim.AdamW(emb.parameters(), lr=0.1, weight_decay=0.1)  # all parameters
for _ in range(3):
    opt.zero_grad()
    emb(ids).pow(2).sum().backward()
    opt.step()
print("frozen rows: grad", emb.frozen.grad)
#> frozen rows: grad None
print("frozen rows unchanged:", torch.equal(emb.frozen, pretrained.weight[:2]))
#> frozen rows unchanged: True
print("trainable rows changed:", not torch.equal(emb.trainable, pretrained.weight[2:]))
#> trainable rows changed: True
assert emb.frozen.grad is None and torch.equal(emb.frozen, pretrained.weight[:2])
assert not torch.equal(emb.trainable, pretrained.weight[2:])
