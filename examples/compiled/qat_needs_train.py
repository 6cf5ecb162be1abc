import importlib.util
import warnings

import torch
from torch import nn
from torch.ao.quantization import get_default_qat_qconfig, prepare_qat

torch.manual_seed(0)
model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU())
model.qconfig = get_default_qat_qconfig("x86")

model.eval()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    try:
        prepare_qat(model)
    except AssertionError as error:
        message = str(error)
    else:
        raise AssertionError("prepare_qat(model) did not raise AssertionError")
assert caught, "prepare_qat did not warn"
print(message)
#> prepare_qat only works on models in training mode
assert message == "prepare_qat only works on models in training mode"
deprecation = str(caught[0].message).splitlines()[0].strip()
print(deprecation)
#> torch.ao.quantization is deprecated and will be removed in 2.10.
assert caught[0].category is DeprecationWarning

model.train()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # the deprecation above, and an observer notice
    prepared = prepare_qat(model)
print("training mode:", type(prepared[0]).__module__, type(prepared[0]).__name__)
#> training mode: torch.ao.nn.qat.modules.conv Conv2d
assert isinstance(prepared[0], torch.ao.nn.qat.Conv2d)
pt2e = importlib.util.find_spec("torch.ao.quantization.quantize_pt2e")
print("torch.ao.quantization.quantize_pt2e present:", pt2e is not None)
#> torch.ao.quantization.quantize_pt2e present: False
assert pt2e is None  # the PT2E flow (prepare_qat_pt2e) now lives in torchao
