import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5), nn.BatchNorm1d(4))


def flags() -> dict[str, bool]:
    return {
        "training": all(m.training for m in model.modules()),
        "requires_grad": all(p.requires_grad for p in model.parameters()),
        "grad_enabled": torch.is_grad_enabled(),
        "inference_mode": torch.is_inference_mode_enabled(),
    }


default = flags()
print(", ".join(f"{name}={value}" for name, value in default.items()))
#> training=True, requires_grad=True, grad_enabled=True, inference_mode=False

model.eval()  # the same as model.train(False)
assert flags() == {**default, "training": False}
assert not any(m.training for m in model.modules())  # the module and every descendant
model.train()

model.requires_grad_(False)
assert flags() == {**default, "requires_grad": False}
assert not any(p.requires_grad for p in model.parameters())  # each parameter
model.requires_grad_(True)

with torch.no_grad():
    assert flags() == {**default, "grad_enabled": False}

with torch.inference_mode():
    assert flags() == {**default, "grad_enabled": False, "inference_mode": True}

assert flags() == default
print("each switch changes exactly one kind of state (inference_mode: two)")
#> each switch changes exactly one kind of state (inference_mode: two)
