import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)


def error_of(layer: nn.Module, x: torch.Tensor) -> str | None:
    try:
        layer(x)
    except ValueError as error:
        return str(error)
    else:
        return None


bn1d = nn.BatchNorm1d(8)
message = error_of(bn1d, torch.randn(1, 8))  # training mode, batch of 1, (N, C) input
print(message)
"""
Expected more than 1 value per channel when training, got input size torch.Size([1, 8])
"""
assert message.startswith("Expected more than 1 value per channel when training")

assert error_of(bn1d.eval(), torch.randn(1, 8)) is None  # eval: running statistics
assert error_of(bn1d.train(), torch.randn(1, 8, 5)) is None  # (N, C, L): 5 values
assert error_of(nn.BatchNorm2d(8), torch.randn(1, 8, 4, 4)) is None  # 16 values
assert error_of(nn.BatchNorm2d(8), torch.randn(1, 8, 1, 1)).startswith("Expected")

# Without running statistics, eval mode uses the batch too: the error comes back.
untracked = nn.BatchNorm1d(8, track_running_stats=False).eval()
assert error_of(untracked, torch.randn(1, 8)).startswith("Expected")
print("what counts: values per channel = N x spatial size, in batch-statistics mode")
#> what counts: values per channel = N x spatial size, in batch-statistics mode

data = TensorDataset(torch.randn(17, 8))  # 17 = 8 + 8 + 1: the last batch has 1 sample
print("batch sizes:", [len(b) for (b,) in DataLoader(data, batch_size=8)])
#> batch sizes: [8, 8, 1]
sizes = [len(b) for (b,) in DataLoader(data, batch_size=8, drop_last=True)]
assert sizes == [8, 8]  # drop_last=True skips the incomplete last batch
