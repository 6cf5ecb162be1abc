import torch
from torch import nn

torch.manual_seed(0)
bn = nn.BatchNorm1d(3)
x = torch.randn(32, 3) + 5


def updates_running_stats() -> bool:
    before = (
        bn.running_mean.clone(),
        bn.running_var.clone(),
        bn.num_batches_tracked.item(),
    )
    bn(x)
    after = bn.running_mean, bn.running_var, bn.num_batches_tracked.item()
    changed = not torch.equal(before[0], after[0])
    assert (
        changed == (not torch.equal(before[1], after[1])) == (after[2] == before[2] + 1)
    )
    return changed


assert updates_running_stats()  # training mode

bn.eval()
assert not updates_running_stats()
bn.train()

bn.requires_grad_(False)
assert updates_running_stats()
bn.requires_grad_(True)

with torch.no_grad():
    assert updates_running_stats()

with torch.inference_mode():
    assert updates_running_stats()

print("num_batches_tracked:", bn.num_batches_tracked.item())
#> num_batches_tracked: 4
