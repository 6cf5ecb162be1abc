import numpy as np
import onnx
import torch
from _onnx import export, op_types, run_in_ort, the_node
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(4, 4), nn.ReLU(), nn.BatchNorm1d(4), nn.Dropout(0.5), nn.Linear(4, 2)
)
x = torch.randn(8, 4)

# MC dropout in PyTorch: evaluation mode, then only the Dropout layers back to training
model.eval()
for module in model.modules():
    if isinstance(module, nn.Dropout):
        module.train()
proto, warned = export(model, x)
said = any("training mode" in message for message in warned)
print(op_types(proto), "training-mode warning:", said)
"""
['Gemm', 'Relu', 'BatchNormalization', 'Dropout', 'Gemm'] training-mode warning: False
"""
assert not said  # the model itself is in evaluation mode
model.eval()
with torch.no_grad():
    expected = model(x).numpy(force=True)

# the default session removes the Dropout: every run gives the eval output
optimized, first, second = run_in_ort(proto, x)
print("default:", optimized, "random:", not np.array_equal(first, second))
#> default: ['FusedGemm', 'BatchNormalization', 'Gemm'] random: False
assert np.allclose(first, expected, rtol=1e-4, atol=1e-5)

# keep it: turn off the one rewrite that removes Dropout (the others still run)
optimized, first, second = run_in_ort(
    proto, x, disabled_optimizers=["EliminateDropout"]
)
print(
    "without EliminateDropout:", optimized, "random:", not np.array_equal(first, second)
)
"""
without EliminateDropout: ['FusedGemm', 'BatchNormalization', 'Dropout', 'Gemm'] random: True
"""
assert "Dropout" in optimized and not np.array_equal(first, second)

# a switch at run time: training_mode of the Dropout node as an input of the graph
dropout = the_node(proto, "Dropout")
dropout.input[2] = "dropout_on"
proto.graph.input.append(
    onnx.helper.make_tensor_value_info("dropout_on", onnx.TensorProto.BOOL, [])
)
onnx.checker.check_model(proto)
for on in (False, True):
    _, first, second = run_in_ort(
        proto, x, disabled_optimizers=["EliminateDropout"], dropout_on=np.array(on)
    )
    same = np.allclose(first, expected, rtol=1e-4, atol=1e-5)
    print(
        f"dropout_on={on}:",
        "== eval:",
        same,
        "random:",
        not np.array_equal(first, second),
    )
    #> dropout_on=False: == eval: True random: False
    #> dropout_on=True: == eval: False random: True
    assert same != on and np.array_equal(first, second) != on
