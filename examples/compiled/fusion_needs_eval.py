import torch
from torch import nn
from torch.ao.quantization import fuse_modules, fuse_modules_qat

torch.manual_seed(0)
model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU())
x = torch.randn(2, 3, 8, 8)
model(x)  # one training step's worth of running statistics

try:
    nn.utils.fuse_conv_bn_eval(model[0], model[1])  # model is in training mode
except AssertionError as error:
    message = str(error)
else:
    raise AssertionError(
        "fuse_conv_bn_eval in training mode did not raise AssertionError"
    )
print(message)
#> Fusion only for eval!
assert message == "Fusion only for eval!"
try:
    fuse_modules(model, [["0", "1", "2"]])  # the same check, one level up
except AssertionError as error:
    assert str(error) == "Fusion only for eval!"
else:
    raise AssertionError("fuse_modules in training mode did not raise AssertionError")

qat_fused = fuse_modules_qat(model, [["0", "1", "2"]])  # training mode: for QAT
print("training mode, fuse_modules_qat:", type(qat_fused[0]).__name__)
#> training mode, fuse_modules_qat: ConvBnReLU2d
assert isinstance(qat_fused[0], torch.ao.nn.intrinsic.ConvBnReLU2d)  # BN kept

model.eval()
fused = fuse_modules(model, [["0", "1", "2"]])
print("eval mode, fuse_modules:", type(fused[0]).__name__)
#> eval mode, fuse_modules: ConvReLU2d
same = torch.allclose(fused(x), model(x), rtol=1e-3, atol=1e-3)
assert same  # the BatchNorm is folded into the convolution: same output
