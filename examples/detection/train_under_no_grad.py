# requires: torchvision
import torch
from _detection import batch, small_detector
from torch import nn

torch.manual_seed(0)
model = small_detector()
images, targets = batch()
# weights_backbone=None: the backbone normalises with nn.BatchNorm2d, whose running
# statistics move in training mode
named = [(n, m) for n, m in model.named_modules() if isinstance(m, nn.BatchNorm2d)]
assert all(name.startswith("backbone.") for name, _ in named)  # all in the backbone
batchnorms = [module for _, module in named]
print(len(batchnorms), "BatchNorm2d layers, all in the backbone")
#> 46 BatchNorm2d layers, all in the backbone
before = [(bn.running_mean.clone(), bn.running_var.clone()) for bn in batchnorms]

model.train()  # the only way to get losses
with torch.no_grad():  # no graph ...
    losses = model(images, targets)
assert all(loss.grad_fn is None for loss in losses.values())
print("losses without a graph:", all(loss.grad_fn is None for loss in losses.values()))
#> losses without a graph: True

means = sum(
    not torch.equal(bn.running_mean, mean)
    for bn, (mean, _) in zip(batchnorms, before, strict=True)
)
variances = sum(
    not torch.equal(bn.running_var, var)
    for bn, (_, var) in zip(batchnorms, before, strict=True)
)
assert means == variances == len(batchnorms)  # ... but every running statistic moved
print(means, "running means and", variances, "running variances moved")
#> 46 running means and 46 running variances moved
