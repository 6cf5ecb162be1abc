import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(8, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.5), nn.Linear(16, 2)
)
sample = torch.randn(1, 8)
batch_a = torch.cat([sample, torch.randn(15, 8)])
batch_b = torch.cat([sample, torch.randn(15, 8) * 3])  # same sample, other neighbours


def score_of_sample(batch: torch.Tensor, seed: int = 0) -> torch.Tensor:
    torch.manual_seed(seed)  # the same seed gives the same Dropout mask
    with torch.no_grad():
        return model(batch)[0]


# The symptom: validation without eval()
running_var = model[1].running_var.clone()
noisy = not torch.equal(score_of_sample(batch_a, 1), score_of_sample(batch_a, 2))
batch_dependent = not torch.allclose(score_of_sample(batch_a), score_of_sample(batch_b))
assert noisy and batch_dependent
assert not torch.equal(model[1].running_var, running_var)  # validation moved them
print("train mode: random:", noisy, "| depends on the other samples:", batch_dependent)
#> train mode: random: True | depends on the other samples: True

# The fix
model.eval()
noisy = not torch.equal(score_of_sample(batch_a, 1), score_of_sample(batch_a, 2))
batch_dependent = not torch.allclose(
    score_of_sample(batch_a), score_of_sample(batch_b), atol=1e-5
)
assert not noisy and not batch_dependent
print("eval mode: random:", noisy, "| depends on the other samples:", batch_dependent)
#> eval mode: random: False | depends on the other samples: False
