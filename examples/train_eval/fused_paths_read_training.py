import torch
from torch import nn
from torch.utils._python_dispatch import TorchDispatchMode

torch.manual_seed(0)


class RecordOps(TorchDispatchMode):
    """Records the name of every ATen operator that runs (what the kernels see)."""

    def __init__(self) -> None:
        super().__init__()
        self.names = set()

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.names.add(func.__name__.split(".")[0])
        return func(*args, **(kwargs or {}))


def fused_ops(module: nn.Module, x: torch.Tensor) -> list[str]:
    with torch.no_grad(), RecordOps() as recorder:
        module(x, x, x) if isinstance(module, nn.MultiheadAttention) else module(x)
    fused = {"_native_multi_head_attention", "_transformer_encoder_layer_fwd"}
    return sorted(recorder.names & fused)


x = torch.randn(2, 5, 8)
attention = nn.MultiheadAttention(8, 2, batch_first=True)  # dropout=0.0
layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, batch_first=True)
for module in (attention, layer):
    modes = {
        mode: fused_ops(module.train(mode == "train"), x) for mode in ("train", "eval")
    }
    print(type(module).__name__, "eval:", modes["eval"], "train:", modes["train"])
    #> MultiheadAttention eval: ['_native_multi_head_attention'] train: []
    #> TransformerEncoderLayer eval: ['_transformer_encoder_layer_fwd'] train: []
assert fused_ops(attention.train(), x) == [] and fused_ops(layer.train(), x) == []
assert fused_ops(attention.eval(), x) == ["_native_multi_head_attention"]
assert fused_ops(layer.eval(), x) == ["_transformer_encoder_layer_fwd"]
with RecordOps() as recorder:  # eval mode, but a gradient is needed: no fused path
    layer(x)
assert "_transformer_encoder_layer_fwd" not in recorder.names
