import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(6, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, 1)
)
model.train()
for _ in range(5):  # a few training-mode forwards give BatchNorm its statistics
    model(torch.randn(64, 6))
x = torch.randn(3, 6)


def mc_dropout_mode(model: nn.Module) -> nn.Module:
    """eval() for everything, then Dropout alone back in training mode."""
    model.eval()
    for module in model.modules():
        if isinstance(module, nn.Dropout):  # add Dropout1d/2d/... if the model has them
            module.train()
    return model


mc_dropout_mode(model)
statistics = model[1].running_mean.clone()
with torch.no_grad():
    samples = torch.stack([model(x) for _ in range(100)])  # (samples, N, 1)
mean, spread = samples.mean(0), samples.std(0)
assert (spread > 0).all()  # Dropout on: every pass is different
assert torch.equal(model[1].running_mean, statistics)  # BatchNorm in eval: untouched
assert not model[1].training and model[3].training
print("prediction spread > 0 for every sample:", bool((spread > 0).all()))
#> prediction spread > 0 for every sample: True
print("BatchNorm statistics unchanged:", torch.equal(model[1].running_mean, statistics))
#> BatchNorm statistics unchanged: True

# The common mistake: model.train() for MC dropout also switches BatchNorm
model.train()
with torch.no_grad():
    model(x)
moved = not torch.equal(model[1].running_mean, statistics)
assert moved
print("with model.train(): BatchNorm statistics moved:", moved)
#> with model.train(): BatchNorm statistics moved: True
