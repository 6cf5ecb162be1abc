import torch
from torch import nn

torch.manual_seed(0)
x = torch.randn(2, 6, 16)
attention = nn.MultiheadAttention(16, 4, dropout=0.5, batch_first=True)
layer = nn.TransformerEncoderLayer(16, 4, dim_feedforward=32, batch_first=True)
print("TransformerEncoderLayer dropout p:", layer.dropout.p, layer.self_attn.dropout)
#> TransformerEncoderLayer dropout p: 0.1 0.1


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
