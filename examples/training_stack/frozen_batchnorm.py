import torch
from torch import nn


class FrozenBatchNorm2d(nn.Module):
    """BatchNorm2d with fixed statistics and affine terms: buffers only, no mode.

    The same idea as torchvision.ops.FrozenBatchNorm2d (used by detection models).
    """

    def __init__(self, bn: nn.BatchNorm2d) -> None:
        super().__init__()
        for name in ("weight", "bias", "running_mean", "running_var"):
            self.register_buffer(name, getattr(bn, name).detach().clone())
        self.eps = bn.eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        scale = self.weight * (self.running_var + self.eps).rsqrt()
        shift = self.bias - self.running_mean * scale
        return x * scale[None, :, None, None] + shift[None, :, None, None]


def freeze_batchnorm(module: nn.Module) -> nn.Module:
    """Replace every BatchNorm2d below ``module`` by a FrozenBatchNorm2d."""
    for name, child in module.named_children():
        if isinstance(child, nn.BatchNorm2d):
            setattr(module, name, FrozenBatchNorm2d(child))
        else:
            freeze_batchnorm(child)
    return module


torch.manual_seed(0)
backbone = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU())
with torch.no_grad():  # pretend it was pretrained: statistics that are not 0 and 1
    backbone[1].running_mean.uniform_(-1, 1)
    backbone[1].running_var.uniform_(0.5, 2)
x = torch.randn(2, 3, 8, 8)  # a tiny batch: 2 images
reference = backbone.eval()(x)  # what eval-mode BatchNorm computes

freeze_batchnorm(backbone).train()  # the usual model.train() at each epoch
same = torch.allclose(backbone(x), reference, atol=1e-6)  # still eval behaviour
assert same and isinstance(backbone[1], FrozenBatchNorm2d)
print("frozen BN in train(): same output as eval BN:", same)
#> frozen BN in train(): same output as eval BN: True
print("BN parameters left to train:", len(list(backbone[1].parameters())))
#> BN parameters left to train: 0

statistics = backbone[1].running_mean.clone()
backbone(torch.randn(2, 3, 8, 8) * 5).sum().backward()  # a training step
assert torch.equal(backbone[1].running_mean, statistics)  # nothing moved
assert backbone[0].weight.grad is not None  # the layers around it still train
print(
    "statistics moved in training:",
    not torch.equal(backbone[1].running_mean, statistics),
)
#> statistics moved in training: False
