import torch
from torch import nn

torch.manual_seed(0)
x = torch.randn(2, 6, 16)
attention = nn.MultiheadAttention(16, 4, dropout=0.5, batch_first=True)
layer = nn.TransformerEncoderLayer(16, 4, dim_feedforward=32, batch_first=True)
assert nn.MultiheadAttention(16, 4).dropout == 0.0  # off unless asked for
print("TransformerEncoderLayer dropout p:", layer.dropout.p, layer.self_attn.dropout)
#> TransformerEncoderLayer dropout p: 0.1 0.1


def weights() -> torch.Tensor:  # per head: (N, heads, L, L)
    return attention(x, x, x, average_attn_weights=False)[1]


assert (weights() == 0).any()  # training: Dropout on the attention weights
attention.eval()
assert not (weights() == 0).any()
assert torch.allclose(weights().sum(-1), torch.ones(2, 4, 6))  # rows are softmax
attention.train()


def repeatable(module: nn.Module) -> bool:
    def run() -> torch.Tensor:
        out = (
            module(x, x, x) if isinstance(module, nn.MultiheadAttention) else module(x)
        )
        return out[0] if isinstance(out, tuple) else out

    return torch.allclose(run(), run())


for name, module in (
    ("MultiheadAttention", attention),
    ("TransformerEncoderLayer", layer),
):
    in_training = repeatable(module)
    in_eval = repeatable(module.eval())
    print(f"{name}: repeatable in training={in_training}, in eval={in_eval}")
    #> MultiheadAttention: repeatable in training=False, in eval=True
    #> TransformerEncoderLayer: repeatable in training=False, in eval=True
    assert not in_training and in_eval
