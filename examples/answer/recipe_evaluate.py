import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(8, 16), nn.BatchNorm1d(16), nn.Dropout(0.2), nn.Linear(16, 3)
)
inputs, labels = torch.randn(64, 8), torch.randint(0, 3, (64,))


def evaluate(model: nn.Module, inputs: torch.Tensor, labels: torch.Tensor) -> float:
    was_training = model.training
    model.eval()  # Dropout off, BatchNorm uses (and keeps) its running statistics
    try:
        with torch.inference_mode():  # or torch.no_grad(): no graph, nothing saved
            predictions = model(inputs).argmax(dim=1)
        return (predictions == labels).float().mean().item()
    finally:
        model.train(was_training)  # back to the mode the caller had


running_mean = model[1].running_mean.clone()
first = evaluate(model, inputs, labels)
second = evaluate(model, inputs, labels)

assert first == second  # deterministic: no Dropout, fixed statistics
assert torch.equal(model[1].running_mean, running_mean)  # validation left them alone
assert model.training  # and training can continue
print("deterministic and side-effect free:", first == second)
#> deterministic and side-effect free: True
