# requires: torchvision
import torch
from _detection import batch, small_detector
from torch import nn
from torchvision.ops import FrozenBatchNorm2d


def validation_losses(model, images, targets):
    """The training losses of a detection model, without recording a graph and
    without moving any BatchNorm statistics; each module's mode is restored."""
    modes = {module: module.training for module in model.modules()}
    model.train()  # the loss path: the model returns losses only in training mode
    for module in model.modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm):
            module.eval()  # normalise with the running statistics, do not update them
    try:
        with torch.no_grad():
            return model(images, targets)
    finally:
        for module, training in modes.items():
            module.training = training  # its own mode, not its parent's


def statistics_of(model):
    return {
        name: buffer.clone()
        for name, buffer in model.named_buffers()
        if name.endswith(("running_mean", "running_var", "num_batches_tracked"))
    }


def unchanged(model, before):
    now = statistics_of(model)
    return all(torch.equal(buffer, before[name]) for name, buffer in now.items())


torch.manual_seed(0)
model = small_detector()
images, targets = batch()
model.eval()
statistics = statistics_of(model)
print(len(statistics), "buffers of running statistics")
#> 138 buffers of running statistics

losses = validation_losses(model, images, targets)
print(sorted(losses))
#> ['loss_box_reg', 'loss_classifier', 'loss_objectness', 'loss_rpn_box_reg']
no_graph = all(loss.grad_fn is None for loss in losses.values())
assert no_graph  # no graph recorded
assert unchanged(model, statistics)  # no running statistic moved
assert not any(module.training for module in model.modules())  # all back in eval mode
print("no graph:", no_graph, "statistics unchanged:", unchanged(model, statistics))
#> no graph: True statistics unchanged: True

# A model in the middle of training whose frozen backbone is kept in eval mode
# (requires-grad.md#batchnorm): each module gets its own mode back.
model.train()
model.backbone.eval()
modes = [module.training for module in model.modules()]
validation_losses(model, images, targets)
assert [module.training for module in model.modules()] == modes
backbone = list(model.backbone.modules())
in_eval = sum(not module.training for module in backbone)
print(in_eval, "of", len(backbone), "backbone modules in eval mode")
#> 261 of 261 backbone modules in eval mode
rest = model.training and model.rpn.training and model.roi_heads.training
print("the rest in training mode:", rest)
#> the rest in training mode: True
model.train(model.training)  # restoring only the model's own mode, as before ...
assert all(module.training for module in model.modules())  # ... trains the backbone too

# Pretrained, the backbone has FrozenBatchNorm2d instead: the same function, unchanged.
for name, module in list(model.named_modules()):
    if isinstance(module, nn.BatchNorm2d):
        frozen = FrozenBatchNorm2d(module.num_features, eps=module.eps)
        frozen.load_state_dict(module.state_dict())
        parent, _, child = name.rpartition(".")
        setattr(model.get_submodule(parent), child, frozen)
assert not any(isinstance(m, nn.modules.batchnorm._BatchNorm) for m in model.modules())
buffers = {name: buffer.clone() for name, buffer in model.named_buffers()}
model.eval()
losses = validation_losses(model, images, targets)
frozen_layers = sum(isinstance(m, FrozenBatchNorm2d) for m in model.modules())
print(frozen_layers, "FrozenBatchNorm2d:", sorted(losses))
"""
46 FrozenBatchNorm2d: ['loss_box_reg', 'loss_classifier', 'loss_objectness', 'loss_rpn_box_reg']
"""
assert all(loss.grad_fn is None for loss in losses.values())
assert all(torch.equal(b, buffers[name]) for name, b in model.named_buffers())
