import io
import warnings

import numpy as np
import onnx
import torch
from _onnx import attributes, export, op_types, run_in_ort, the_node
from torch import nn
from torch.onnx import TrainingMode

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(4, 4), nn.ReLU(), nn.BatchNorm1d(4, track_running_stats=False)
)
model.eval()
print("buffers:", [name for name, _ in model.named_buffers()])
#> buffers: []
x = torch.randn(8, 4)

batch = torch.export.Dim("batch")
proto, _ = export(model, x, dynamic_shapes=({0: batch},))
print(op_types(proto))
"""
['Gemm', 'Relu', 'ReduceMean', 'ReduceMean', 'Sub', 'Mul', 'ReduceMean', 'BatchNormalization']
"""
bn = the_node(proto, "BatchNormalization")
# the batch's mean and variance are computed by ReduceMean, then fed to an inference BN
print(
    "outputs:",
    len(bn.output),
    "training_mode:",
    attributes(bn).get("training_mode", "absent"),
)
#> outputs: 1 training_mode: absent
assert len(bn.output) == 1 and "training_mode" not in attributes(bn)  # 0 by default

_, whole, _ = run_in_ort(proto, x)
_, half, _ = run_in_ort(proto, x[:4])
with torch.no_grad():
    assert np.allclose(whole, model(x).numpy(force=True), rtol=1e-4, atol=1e-5)
    assert np.allclose(half, model(x[:4]).numpy(force=True), rtol=1e-4, atol=1e-5)
depends = not np.allclose(half, whole[:4], rtol=1e-4, atol=1e-5)
print("the first 4 rows depend on the rest of the batch:", depends)
#> the first 4 rows depend on the rest of the batch: True
assert depends

# the legacy exporter: a training-mode BatchNormalization, whatever training= says
for mode in (TrainingMode.EVAL, TrainingMode.PRESERVE, TrainingMode.TRAINING):
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its warnings: see legacy_training_mode.py
        torch.onnx.export(model, (x,), buffer, dynamo=False, training=mode)
    legacy = the_node(onnx.load_from_string(buffer.getvalue()), "BatchNormalization")
    print(
        f"legacy, {mode.name}: outputs:",
        len(legacy.output),
        "training_mode:",
        attributes(legacy)["training_mode"],
    )
    #> legacy, EVAL: outputs: 3 training_mode: 1
    #> legacy, PRESERVE: outputs: 3 training_mode: 1
    #> legacy, TRAINING: outputs: 3 training_mode: 1
    assert attributes(legacy)["training_mode"] == 1 and len(legacy.output) == 3
