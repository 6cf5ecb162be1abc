import copy

import torch
from torch import nn

torch.manual_seed(0)
model_a = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 2))
model_a[0].requires_grad_(False)
model_b = copy.deepcopy(model_a)
frozen_before = model_a[0].weight.clone()

trainable_only = torch.optim.SGD(
    [p for p in model_a.parameters() if p.requires_grad], lr=0.1, momentum=0.9
)
all_params = torch.optim.SGD(model_b.parameters(), lr=0.1, momentum=0.9)

x, y = torch.randn(16, 8), torch.randn(16, 2)
for model, optimizer in ((model_a, trainable_only), (model_b, all_params)):
    for _ in range(3):
        optimizer.zero_grad()  # set_to_none=True: frozen .grad stays None
        nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()

print("frozen .grad in both:", model_a[0].weight.grad, model_b[0].weight.grad)
#> frozen .grad in both: None None
assert torch.equal(model_a[0].weight, frozen_before)
assert torch.equal(model_b[0].weight, frozen_before)
assert torch.allclose(model_a[2].weight, model_b[2].weight)  # the same training
print(
    "parameters in the optimizers:",
    len(trainable_only.param_groups[0]["params"]),
    "vs",
    len(all_params.param_groups[0]["params"]),
)
#> parameters in the optimizers: 2 vs 4
