import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 16), nn.Linear(16, 2))
model[0].requires_grad_(False)
model[2].requires_grad_(False)


def trainable_names(model: nn.Module) -> list[str]:
    return [name for name, p in model.named_parameters() if p.requires_grad]


def check_frozen(model: nn.Module, before: dict[str, torch.Tensor]) -> None:
    for name, p in model.named_parameters():
        if p.requires_grad:
            assert p.grad is not None, f"{name}: trainable but got no gradient"
        else:
            assert p.grad is None, f"{name}: frozen but has a .grad"
            assert torch.equal(p, before[name]), f"{name}: frozen but moved"


optimizer = torch.optim.AdamW(
    [p for p in model.parameters() if p.requires_grad], lr=1e-2
)
before = {name: p.detach().clone() for name, p in model.named_parameters()}
loss = model(torch.randn(32, 8)).pow(2).mean()
optimizer.zero_grad()
loss.backward()
optimizer.step()
check_frozen(model, before)

trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
total = sum(p.numel() for p in model.parameters())
print("trainable:", ", ".join(trainable_names(model)))
#> trainable: 3.weight, 3.bias
print(f"trainable parameters: {trainable} of {total}")
#> trainable parameters: 34 of 450
assert trainable_names(model) == ["3.weight", "3.bias"]
