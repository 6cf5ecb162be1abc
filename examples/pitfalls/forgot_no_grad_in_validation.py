import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 10))
batches = [torch.randn(32, 64) for _ in range(5)]


def validate() -> tuple[list[torch.Tensor], int]:
    saved = {}

    def pack(t: torch.Tensor) -> torch.Tensor:
        saved[t.untyped_storage().data_ptr()] = t.untyped_storage().nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        outputs = [model(x) for x in batches]  # kept for metrics later
    return outputs, sum(saved.values())


model.eval()

# The symptom: eval() alone; every kept output holds its graph and saved tensors
outputs, saved_bytes = validate()
assert saved_bytes > 0 and all(out.grad_fn is not None for out in outputs)
print("eval() only: bytes saved for backward > 0:", saved_bytes > 0)
#> eval() only: bytes saved for backward > 0: True

# The fix: no_grad (or inference_mode) around validation
with torch.no_grad():
    outputs, saved_bytes = validate()
assert saved_bytes == 0 and all(out.grad_fn is None for out in outputs)
print("eval() + no_grad: bytes saved for backward:", saved_bytes)
#> eval() + no_grad: bytes saved for backward: 0
