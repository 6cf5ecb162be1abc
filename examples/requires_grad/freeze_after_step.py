import torch
from torch import nn

torch.manual_seed(0)
x = torch.randn(8, 4)

model = nn.Linear(4, 2)
adam = torch.optim.Adam(model.parameters())
model(x).sum().backward()
adam.step()
model.requires_grad_(False)  # frozen after Adam has stepped
kept = sorted(adam.state[model.weight])
print("Adam state kept after freezing:", kept)
#> Adam state kept after freezing: ['exp_avg', 'exp_avg_sq', 'step']
print(".grad kept after freezing:", model.weight.grad is not None)
#> .grad kept after freezing: True
assert kept == ["exp_avg", "exp_avg_sq", "step"] and model.weight.grad is not None

adam.zero_grad()  # set_to_none=True: frees .grad
adam.state.clear()  # frees the state too, if the model stays frozen
assert model.weight.grad is None and not adam.state

frozen_from_start = nn.Linear(4, 2).requires_grad_(False)
head = nn.Linear(2, 1)
adam = torch.optim.Adam(head.parameters())  # only the trainable parameters
head(frozen_from_start(x)).sum().backward()
adam.step()
assert frozen_from_start.weight.grad is None  # no .grad, no state ever allocated

sgd_model = nn.Linear(4, 2)
sgd = torch.optim.SGD(sgd_model.parameters(), lr=0.1)  # no momentum
sgd_model(x).sum().backward()
sgd.step()
print("plain SGD keeps state:", bool(sgd.state))
#> plain SGD keeps state: False
assert not sgd.state  # nothing for freezing to save
