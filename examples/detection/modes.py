# requires: torchvision
import torch
from _detection import batch, small_detector

torch.manual_seed(0)
model = small_detector()
images, targets = batch()

model.eval()  # evaluation mode: a list of detections, one dict per image
with torch.no_grad():
    detections = model(images)
    with_targets = model(images, targets)  # targets are accepted and ignored
print(type(detections).__name__, len(detections), sorted(detections[0]))
#> list 2 ['boxes', 'labels', 'scores']
same = all(
    torch.equal(a[key], b[key])
    for a, b in zip(detections, with_targets, strict=True)
    for key in a
)
assert same  # the same detections: nothing told us the targets were unused
print("with targets, the same detections:", same)
#> with targets, the same detections: True

model.train()  # training mode: a dict of losses, with their graph recorded
losses = model(images, targets)
print(type(losses).__name__, sorted(losses))
#> dict ['loss_box_reg', 'loss_classifier', 'loss_objectness', 'loss_rpn_box_reg']
assert all(loss.grad_fn is not None for loss in losses.values())

try:
    model(images)  # training mode without targets
except AssertionError as error:
    message = f"{type(error).__name__}: {error}"
else:
    raise AssertionError("model(images) in training mode did not raise")
assert message == "AssertionError: targets should not be none when in training mode"
print(message)
#> AssertionError: targets should not be none when in training mode
