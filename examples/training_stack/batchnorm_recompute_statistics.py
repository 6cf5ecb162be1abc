import copy

import torch
from torch import nn

torch.manual_seed(0)
data = [torch.randn(32, 4) * 3 + 5 for _ in range(20)]  # inputs with mean 5, std 3
model = nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4))
with torch.no_grad():
    model[0].weight.copy_(torch.eye(4))
    model[0].bias.zero_()
bn = model[1]

# A short fine-tuning run: 3 training-mode forwards with the default momentum 0.1
for batch in data[:3]:
    model(batch)
x = torch.cat(data)


def gap(model: nn.Module) -> float:
    """How far eval-mode outputs are from training-mode (batch statistics) ones."""
    with torch.no_grad():
        in_training = copy.deepcopy(model).train()(x)  # a copy: no update here
        in_eval = model.eval()(x)
    return (in_eval - in_training).abs().mean().item()


before = gap(model)
print(
    "after 3 steps, running_mean < 2.5 (data mean 5):",
    bool((bn.running_mean < 2.5).all()),
)
#> after 3 steps, running_mean < 2.5 (data mean 5): True
assert before > 1  # "works in train mode, collapses in eval mode"


def recompute_batchnorm_statistics(model: nn.Module, batches) -> None:
    """Forget the running statistics and re-estimate them as a plain average."""
    norms = [
        m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)
    ]
    momenta = [m.momentum for m in norms]
    for m in norms:
        m.reset_running_stats()
        m.momentum = None  # cumulative average over all batches below
    model.train()
    with torch.no_grad():  # statistics only: no graph, no weights change
        for batch in batches:
            model(batch)
    for m, momentum in zip(norms, momenta, strict=True):
        m.momentum = momentum
    model.eval()


recompute_batchnorm_statistics(model, data)
after = gap(model)
print("eval vs train gap, before and after recomputing:", before > 1, after < 0.1)
#> eval vs train gap, before and after recomputing: True True
assert after < 0.1 < 1 < before
