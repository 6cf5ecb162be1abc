import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5))

for mode in ("no", 0, None):
    try:
        model.train(mode)
    except ValueError as error:
        message = str(error)
    else:
        raise AssertionError(f"model.train({mode!r}) did not raise ValueError")
    assert message == "training mode is expected to be boolean"
print(message)
#> training mode is expected to be boolean
assert model.training and model[1].training  # the failed calls changed nothing
