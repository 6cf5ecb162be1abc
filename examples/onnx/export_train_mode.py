import warnings

import onnx
import torch
from _onnx import export, op_types
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(4, 4), nn.ReLU(), nn.BatchNorm1d(4), nn.Dropout(0.5), nn.Linear(4, 2)
)
x = torch.randn(8, 4)
bn = model[2]
before = {name: buffer.clone() for name, buffer in bn.named_buffers()}
print(list(before))
#> ['running_mean', 'running_var', 'num_batches_tracked']
assert list(before) == ["running_mean", "running_var", "num_batches_tracked"]

model.train()  # export without calling model.eval() first
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    program = torch.onnx.export(model, (x,), verbose=False)
assert caught, "torch.onnx.export did not warn"
said = [w for w in caught if "training mode" in str(w.message)]
assert said, "torch.onnx.export did not warn about training mode"
assert said[0].category is UserWarning
print(f"{said[0].category.__name__}: {said[0].message}")
"""
UserWarning: Exporting a model while it is in training mode. Please ensure that this is intended, as it may lead to different behavior during inference. Calling model.eval() before export is recommended.
"""
assert isinstance(program.model_proto, onnx.ModelProto)
print(op_types(program.model_proto))
#> ['Gemm', 'Relu', 'BatchNormalization', 'Dropout', 'Gemm']
# the export leaves the live model as it was: still in training mode, statistics unmoved
print("model.training:", model.training)
#> model.training: True
moved = [
    name for name, buffer in bn.named_buffers() if not torch.equal(buffer, before[name])
]
print("buffers moved:", moved)
#> buffers moved: []
assert model.training and not moved

model.eval()  # export again in evaluation mode: no warning, no Dropout
proto, warned = export(model, x)
print(op_types(proto))
#> ['Gemm', 'Relu', 'BatchNormalization', 'Gemm']
assert not any("training mode" in message for message in warned)
assert "Dropout" not in op_types(proto)
