import torch
from torch import nn

torch.manual_seed(0)
bn = nn.BatchNorm1d(4)
for _ in range(20):  # give the running estimates something to hold
    bn(torch.randn(32, 4) * 2 + 3)

sample = torch.randn(1, 4) * 2 + 3
batch_a = torch.cat([sample, torch.randn(7, 4) * 2 + 3])
batch_b = torch.cat([sample, torch.randn(7, 4) * 5 - 1])  # other neighbours

bn.eval()
same_in_eval = torch.allclose(bn(batch_a)[0], bn(batch_b)[0])
assert torch.allclose(bn(batch_a)[0], bn(sample)[0])  # alone or in a batch
bn.train()
same_in_training = torch.allclose(bn(batch_a)[0], bn(batch_b)[0])

print("sample's output independent of its batch, eval:", same_in_eval)
#> sample's output independent of its batch, eval: True
print("sample's output independent of its batch, training:", same_in_training)
#> sample's output independent of its batch, training: False
assert same_in_eval and not same_in_training
