# requires: torchvision
import torch
from _detection import batch, small_detector
from torch import nn


def validation_losses(model, images, targets):
    """The training losses of a detection model, without recording a graph and
    without moving any BatchNorm statistics; the model's modes are restored."""
    was_training = model.training
    model.train()  # the loss path: the model returns losses only in training mode
    for module in model.modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm):
            module.eval()  # normalise with the running statistics, do not update them
    try:
        with torch.no_grad():
            return model(images, targets)
    finally:
        model.train(was_training)


torch.manual_seed(0)
model = small_detector()
images, targets = batch()
model.eval()
statistics = {
    name: buffer.clone()
    for name, buffer in model.named_buffers()
    if name.endswith(("running_mean", "running_var", "num_batches_tracked"))
}
print(len(statistics), "buffers of running statistics")
#> 138 buffers of running statistics

losses = validation_losses(model, images, targets)
print(sorted(losses))
#> ['loss_box_reg', 'loss_classifier', 'loss_objectness', 'loss_rpn_box_reg']
no_graph = all(loss.grad_fn is None for loss in losses.values())
assert no_graph  # no graph recorded
unchanged = all(
    torch.equal(buffer, statistics[name])
    for name, buffer in model.named_buffers()
    if name in statistics
)
assert unchanged  # no running statistic moved
assert not model.training  # back in evaluation mode, every submodule with it
assert not any(module.training for module in model.modules())
print("no graph:", no_graph, "statistics unchanged:", unchanged)
#> no graph: True statistics unchanged: True
