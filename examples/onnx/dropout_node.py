import onnx
import torch
from _onnx import constant, export, op_types, the_node
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Dropout(0.5), nn.Linear(4, 2))
x = torch.randn(8, 4)

model.train()
proto, _ = export(model, x)
onnx.checker.check_model(proto)  # a valid ONNX model
dropout = the_node(proto, "Dropout")
ratio, training_mode = (constant(proto, name) for name in dropout.input[1:])
print("ratio:", float(ratio), "training_mode:", bool(training_mode))
#> ratio: 0.5 training_mode: True
print("inputs of the graph:", [value.name for value in proto.graph.input])
#> inputs of the graph: ['input']
assert float(ratio) == 0.5 and bool(training_mode)  # a constant, not a graph input

model.eval()
print(op_types(export(model, x)[0]))
#> ['Gemm', 'Relu', 'Gemm']
# unoptimized, the place of Dropout shows: an Identity
print(op_types(export(model, x, optimize=False)[0]))
#> ['Gemm', 'Relu', 'Identity', 'Gemm']
assert "Dropout" not in op_types(export(model, x, optimize=False)[0])
