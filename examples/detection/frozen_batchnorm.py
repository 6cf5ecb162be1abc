# requires: torchvision
import inspect

import torch
from torch import nn
from torchvision.models import detection, resnet50
from torchvision.models.detection import faster_rcnn
from torchvision.ops import FrozenBatchNorm2d

# Where torchvision chooses it: these builders normalise the backbone with
# FrozenBatchNorm2d when weights or weights_backbone are given, else with BatchNorm2d.
trained = "is_trained = weights is not None or weights_backbone is not None"
choice = "norm_layer = misc_nn_ops.FrozenBatchNorm2d if is_trained else nn.BatchNorm2d"
builders = [
    detection.fasterrcnn_resnet50_fpn,
    faster_rcnn._fasterrcnn_mobilenet_v3_large_fpn,  # both mobilenet_v3 builders call it
    detection.maskrcnn_resnet50_fpn,
    detection.keypointrcnn_resnet50_fpn,
    detection.retinanet_resnet50_fpn,
    detection.fcos_resnet50_fpn,
]
for builder in builders:
    source = inspect.getsource(builder)
    assert trained in source and choice in source, builder.__name__
for public in (
    detection.fasterrcnn_mobilenet_v3_large_fpn,
    detection.fasterrcnn_mobilenet_v3_large_320_fpn,
):
    assert "return _fasterrcnn_mobilenet_v3_large_fpn(" in inspect.getsource(public)
print(trained)
#> is_trained = weights is not None or weights_backbone is not None
print(choice)
#> norm_layer = misc_nn_ops.FrozenBatchNorm2d if is_trained else nn.BatchNorm2d

# The _v2 builders of Faster and Mask R-CNN build the backbone with resnet50's default,
# BatchNorm2d, pretrained or not: they pass it no norm_layer.
for builder in (
    detection.fasterrcnn_resnet50_fpn_v2,
    detection.maskrcnn_resnet50_fpn_v2,
):
    (call,) = [
        line for line in inspect.getsource(builder).splitlines() if "resnet50(" in line
    ]
    assert (
        call.strip()
        == "backbone = resnet50(weights=weights_backbone, progress=progress)"
    )
    assert "FrozenBatchNorm2d" not in inspect.getsource(builder)
default = resnet50()  # weights=None; loading weights changes no layer's class
assert any(isinstance(m, nn.BatchNorm2d) for m in default.modules())
assert not any(isinstance(m, FrozenBatchNorm2d) for m in default.modules())

# What it is: BatchNorm2d's evaluation mode, fixed. Everything is a buffer.
torch.manual_seed(0)
batchnorm = nn.BatchNorm2d(4)
batchnorm.train()
batchnorm(torch.randn(8, 4, 5, 5) * 3 + 1)  # some running statistics
batchnorm.eval()
frozen = FrozenBatchNorm2d(4)
frozen.load_state_dict(batchnorm.state_dict())  # num_batches_tracked is dropped
print("parameters:", list(frozen.parameters()))
#> parameters: []
print("buffers:", sorted(name for name, _ in frozen.named_buffers()))
#> buffers: ['bias', 'running_mean', 'running_var', 'weight']
assert list(frozen.parameters()) == []  # no optimizer can update it

x = torch.randn(2, 4, 5, 5)
frozen.train()
in_training = frozen(x)
frozen.eval()
in_evaluation = frozen(x)
same = torch.equal(in_training, in_evaluation)
assert same  # the mode changes nothing
assert torch.allclose(in_training, batchnorm(x), atol=1e-6)  # = BatchNorm2d in eval()
assert torch.equal(frozen.running_mean, batchnorm.running_mean)  # and nothing moved
print("the same output in training and evaluation mode:", same)
#> the same output in training and evaluation mode: True
