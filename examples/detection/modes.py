# requires: torchvision
import copy
import inspect

import torch
from _detection import batch, small_detector
from torchvision.models.detection import (
    FasterRCNN,
    generalized_rcnn,
    retinanet,
    roi_heads,
)

torch.manual_seed(0)
model = small_detector()
images, targets = batch()

model.eval()  # evaluation mode: a list of detections, one dict per image
with torch.no_grad():
    detections = model(images)
    with_targets = model(images, targets)  # valid targets do not change the detections
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


def eval_error(change):
    """The error of an evaluation-mode call whose targets ``change`` made invalid."""
    invalid = copy.deepcopy(targets)
    change(invalid[0])
    try:
        with torch.no_grad():
            model(images, invalid)
    except (AssertionError, TypeError) as error:
        return f"{type(error).__name__}: {error}"
    else:
        return "no error"  # the asserts below fail on it


# ... but they are still checked, after being resized with the images (160 -> 320)
def degenerate(target):  # x2 < x1: a box of negative width
    target["boxes"] = torch.tensor([[50.0, 50.0, 40.0, 60.0]])


def int32_labels(target):
    target["labels"] = target["labels"].int()


degenerate_message = eval_error(degenerate)
assert degenerate_message.startswith("AssertionError: All bounding boxes should")
print(degenerate_message)
"""
AssertionError: All bounding boxes should have positive height and width. Found invalid box [100.0, 100.0, 80.0, 120.0] for target at index 0.
"""
labels_message = eval_error(int32_labels)
assert labels_message.startswith("TypeError: target labels must of int64 type")
print(labels_message)
#> TypeError: target labels must of int64 type, instead got torch.int32

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

# Where the choice is made (eager mode): GeneralizedRCNN.eager_outputs, by self.training.
assert issubclass(FasterRCNN, generalized_rcnn.GeneralizedRCNN)
for training in (True, False):
    model.train(training)
    chosen = model.eager_outputs(losses, detections)
    assert chosen is (losses if training else detections)
# Other models return other keys: Mask R-CNN adds loss_mask (and masks), RetinaNet's
# losses are classification and bbox_regression.
mask_head = inspect.getsource(roi_heads.RoIHeads.forward)
assert '"loss_mask"' in mask_head and 'r["masks"]' in mask_head
retinanet_losses = inspect.getsource(retinanet.RetinaNetHead.compute_loss)
assert (
    '"classification"' in retinanet_losses and '"bbox_regression"' in retinanet_losses
)
