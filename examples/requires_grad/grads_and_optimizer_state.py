import torch
from torch import nn

torch.manual_seed(0)


def one_adam_step(freeze: str) -> str:
    backbone = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 64))
    head = nn.Linear(64, 10)
    model = nn.Sequential(backbone, head)
    if freeze == "backbone":  # a frozen prefix
        backbone.requires_grad_(False)
    if freeze == "head":  # a frozen suffix
        head.requires_grad_(False)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)  # all, on purpose
    model(torch.randn(8, 32)).sum().backward()
    optimizer.step()
    grad_numel = sum(p.grad.numel() for p in model.parameters() if p.grad is not None)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    state_numel = sum(
        s["exp_avg"].numel() + s["exp_avg_sq"].numel() for s in optimizer.state.values()
    )
    assert grad_numel == trainable  # .grad only where requires_grad
    assert state_numel == 2 * trainable  # exp_avg and exp_avg_sq only where a step ran
    for s in optimizer.state.values():  # plus a one-element step count each
        assert set(s) == {"step", "exp_avg", "exp_avg_sq"} and s["step"].numel() == 1
    return f".grad numel {grad_numel}, Adam state on {len(optimizer.state)} tensors"


print("freeze nothing: ", one_adam_step("nothing"))
#> freeze nothing:  .grad numel 6922, Adam state on 6 tensors
print("freeze backbone:", one_adam_step("backbone"))
#> freeze backbone: .grad numel 650, Adam state on 2 tensors
print("freeze head:    ", one_adam_step("head"))
#> freeze head:     .grad numel 6272, Adam state on 4 tensors
