import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 4), nn.Sequential(nn.Dropout(0.5), nn.ReLU()))


def modes() -> str:
    return " ".join(
        f"{name or 'model'}={m.training}" for name, m in model.named_modules()
    )


print(modes())  # a new module is in training mode
#> model=True 0=True 1=True 1.0=True 1.1=True

returned = model.eval()  # the same as model.train(False)
print(modes())
#> model=False 0=False 1=False 1.0=False 1.1=False
assert returned is model  # eval() and train() return the module itself

out = model.train()(torch.randn(2, 4))  # so they chain
assert all(m.training for m in model.modules())
assert model.train(False) is model and not any(m.training for m in model.modules())
