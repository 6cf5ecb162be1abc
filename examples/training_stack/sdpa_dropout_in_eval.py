import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)


class Attention(nn.Module):
    def __init__(self, dim: int, p: float, follow_mode: bool) -> None:
        super().__init__()
        self.qkv = nn.Linear(dim, 3 * dim)
        self.p, self.follow_mode = p, follow_mode

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        # the bug: dropout_p=self.p (SDPA has no training argument, never sees eval())
        # the recipe: dropout_p=self.p if self.training else 0.0
        p = (self.p if self.training else 0.0) if self.follow_mode else self.p
        return F.scaled_dot_product_attention(q, k, v, dropout_p=p)


x = torch.randn(2, 5, 16)
for follow_mode in (False, True):
    attention = Attention(16, p=0.5, follow_mode=follow_mode).eval()
    repeatable = torch.equal(attention(x), attention(x))
    label = "self.p if self.training else 0.0" if follow_mode else "self.p"
    print(f"dropout_p={label}: repeatable in eval: {repeatable}")
    #> dropout_p=self.p: repeatable in eval: False
    #> dropout_p=self.p if self.training else 0.0: repeatable in eval: True
    assert repeatable == follow_mode

# With the recipe, eval means exactly "no dropout", and training still drops
q, k, v = attention.qkv(x).chunk(3, dim=-1)
assert torch.equal(attention(x), F.scaled_dot_product_attention(q, k, v))
attention.train()
assert not torch.equal(attention(x), attention(x))

# nn.MultiheadAttention does this for you: it passes training=self.training
mha = nn.MultiheadAttention(16, 4, dropout=0.5, batch_first=True).eval()
repeatable = torch.equal(mha(x, x, x)[0], mha(x, x, x)[0])
assert repeatable
print("nn.MultiheadAttention repeatable in eval:", repeatable)
#> nn.MultiheadAttention repeatable in eval: True
