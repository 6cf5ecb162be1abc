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

# What it catches: a layer frozen mid-run while the optimizer still holds it,
# with zero_grad(set_to_none=False) leaving a zero .grad that momentum acts on
model.requires_grad_(True)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
for step in range(2):
    if step == 1:
        model[0].requires_grad_(False)
        before = {name: p.detach().clone() for name, p in model.named_parameters()}
    optimizer.zero_grad(set_to_none=False)
    model(torch.randn(32, 8)).pow(2).mean().backward()
    optimizer.step()
try:
    check_frozen(model, before)
except AssertionError as error:
    message = str(error).splitlines()[0]  # the first line: the helper's message
else:
    raise AssertionError("check_frozen passed a frozen layer with a .grad")
print(message)
#> 0.weight: frozen but has a .grad
assert message == "0.weight: frozen but has a .grad"
assert not torch.equal(model[0].weight, before["0.weight"])  # and it moved
