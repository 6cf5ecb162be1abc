# requires: torchvision
import inspect

import torch
from torch import nn
from torchvision.models import detection
from torchvision.models.detection import faster_rcnn
from torchvision.ops import FrozenBatchNorm2d

# Where torchvision chooses it: these builders normalise the backbone with
# FrozenBatchNorm2d when weights or weights_backbone are given, else with BatchNorm2d.
choice = "norm_layer = misc_nn_ops.FrozenBatchNorm2d if is_trained else nn.BatchNorm2d"
builders = [
    detection.fasterrcnn_resnet50_fpn,
    faster_rcnn._fasterrcnn_mobilenet_v3_large_fpn,  # both mobilenet_v3 builders
    detection.maskrcnn_resnet50_fpn,
    detection.keypointrcnn_resnet50_fpn,
    detection.retinanet_resnet50_fpn,
    detection.fcos_resnet50_fpn,
]
assert all(choice in inspect.getsource(builder) for builder in builders)
print(choice)
#> norm_layer = misc_nn_ops.FrozenBatchNorm2d if is_trained else nn.BatchNorm2d
# The _v2 builders of Faster and Mask R-CNN use BatchNorm2d even when pretrained.
v2 = [detection.fasterrcnn_resnet50_fpn_v2, detection.maskrcnn_resnet50_fpn_v2]
assert all("norm_layer=nn.BatchNorm2d" in inspect.getsource(b) for b in v2)

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
