import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(64, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 10)
)  # no Dropout
x = torch.randn(32, 64)


def bytes_saved_for_backward() -> int:
    saved = {}

    def pack(t: torch.Tensor) -> torch.Tensor:
        saved[t.untyped_storage().data_ptr()] = t.untyped_storage().nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        model(x)
    return sum(saved.values())


train = bytes_saved_for_backward()

# The symptom: eval() keeps nearly everything for a backward that never comes
model.eval()
evaluated = bytes_saved_for_backward()
assert evaluated > train // 2
print("eval() saves more than half of what train() saves:", evaluated > train // 2)
#> eval() saves more than half of what train() saves: True

# The fix: the memory goes away with no_grad or inference_mode
with torch.inference_mode():
    assert bytes_saved_for_backward() == 0
print("eval() + inference_mode saves:", 0)
#> eval() + inference_mode saves: 0
