import torch
from torch import nn

torch.manual_seed(0)
x3 = torch.rand(16, 32, 10) + 1  # (N, C, L), never 0
x4 = torch.rand(16, 32, 5, 5) + 1  # (N, C, H, W)
x5 = torch.rand(16, 32, 2, 3, 3) + 1  # (N, C, D, H, W)
layers = {
    "Dropout": (nn.Dropout(0.5), x3),
    "Dropout1d": (nn.Dropout1d(0.5), x3),
    "Dropout2d": (nn.Dropout2d(0.5), x4),
    "Dropout3d": (nn.Dropout3d(0.5), x5),
    "AlphaDropout": (nn.AlphaDropout(0.5), x3),
    "FeatureAlphaDropout": (nn.FeatureAlphaDropout(0.5), x3),
}
for name, (layer, x) in layers.items():
    y = layer(x).flatten(2)  # training mode
    dropped = y == y.min()  # x > 0, so a dropped unit gets the smallest value
    whole_channels = bool((dropped == dropped[..., :1]).all())
    zeros = bool((y == 0).any())
    print(f"{name}: whole channels={whole_channels}, zeros={zeros}")
    #> Dropout: whole channels=False, zeros=True
    #> Dropout1d: whole channels=True, zeros=True
    #> Dropout2d: whole channels=True, zeros=True
    #> Dropout3d: whole channels=True, zeros=True
    #> AlphaDropout: whole channels=False, zeros=False
    #> FeatureAlphaDropout: whole channels=True, zeros=False
    layer.eval()
    assert torch.equal(layer(x), x)  # eval: every one is the identity

alpha = nn.AlphaDropout(0.5)  # meant for SELU: standardised input stays standardised
z = torch.randn(100_000)
y = alpha(z)
dropped = round(alpha(x3).min().item(), 4)  # x3 > 0: kept units stay positive
print("AlphaDropout(0.5), a dropped unit:", dropped)
#> AlphaDropout(0.5), a dropped unit: -0.7792
saturation = nn.SELU()(torch.tensor(-100.0)).item()  # SELU's value for x -> -inf
print("SELU's negative saturation value:", round(saturation, 4))
#> SELU's negative saturation value: -1.7581
p = alpha.p  # the scale a of ATen's alpha dropout (aten/src/ATen/native/Dropout.cpp)
a = ((1 - p) * (1 + p * saturation**2)) ** -0.5
assert dropped == round(a * saturation + (-a * saturation * p), 4) == -0.7792
assert abs(y.mean().item()) < 0.02 and abs(y.std().item() - 1) < 0.02
