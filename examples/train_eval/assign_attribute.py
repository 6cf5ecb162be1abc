import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5))
x = torch.ones(8, 4)

model.training = False  # sets the attribute of this one module, nothing else
print("model:", model.training, "dropout:", model[1].training)
#> model: False dropout: True
assert (model(x) == 0).any()  # Dropout still drops

model.eval()  # visits every descendant
assert not model[1].training and torch.equal(model(x), model[0](x))
