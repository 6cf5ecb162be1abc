import torch
from torch import nn

torch.manual_seed(0)


def one_adam_step(freeze_backbone: bool) -> tuple[int, int, int]:
    backbone = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 64))
    head = nn.Linear(64, 10)
    model = nn.Sequential(backbone, head)
    backbone.requires_grad_(not freeze_backbone)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)  # all, on purpose
    model(torch.randn(8, 32)).sum().backward()
    optimizer.step()
    grad_numel = sum(p.grad.numel() for p in model.parameters() if p.grad is not None)
    state_numel = sum(
        s["exp_avg"].numel() + s["exp_avg_sq"].numel() for s in optimizer.state.values()
    )
    return grad_numel, len(optimizer.state), state_numel


everything = one_adam_step(freeze_backbone=False)
frozen = one_adam_step(freeze_backbone=True)


def describe(counts: tuple[int, int, int]) -> str:
    grad_numel, with_state, state_numel = counts
    return f".grad {grad_numel}, Adam state on {with_state} tensors ({state_numel})"


print("train everything:", describe(everything))
#> train everything: .grad 6922, Adam state on 6 tensors (13844)
print("frozen backbone:", describe(frozen))
#> frozen backbone: .grad 650, Adam state on 2 tensors (1300)
assert frozen == (64 * 10 + 10, 2, 2 * (64 * 10 + 10))  # the head only
