import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1))
x = torch.randn(8, 16)


def saved_for_backward() -> int:
    saved = []

    def pack(t: torch.Tensor) -> torch.Tensor:
        saved.append(t)
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        model(x)
    return len(saved)


weights = [p.clone() for p in model.parameters()]
in_training = saved_for_backward()
model.eval()

out = model(x)
print("grad_fn in eval:", type(out.grad_fn).__name__)
#> grad_fn in eval: AddmmBackward0
print("requires_grad in eval:", all(p.requires_grad for p in model.parameters()))
#> requires_grad in eval: True
kept = saved_for_backward()
print("same tensors kept for backward as in training:", kept == in_training > 0)
#> same tensors kept for backward as in training: True
assert all(torch.equal(w, p) for w, p in zip(weights, model.parameters(), strict=True))

out.sum().backward()  # backward works in eval mode
assert all(p.grad is not None for p in model.parameters())
