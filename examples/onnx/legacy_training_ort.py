import io
import warnings

import numpy as np
import onnx
import onnxruntime as ort
import torch
from _onnx import op_types, run_in_ort
from torch import nn
from torch.onnx import TrainingMode

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Dropout(0.5), nn.Linear(4, 2))
x = torch.randn(8, 4)

# the export of onnx/onnx#3753: legacy exporter, TRAINING, opset 12, no constant folding
buffer = io.BytesIO()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # its deprecation warnings: legacy_training_mode.py
    torch.onnx.export(
        model,
        (x,),
        buffer,
        dynamo=False,
        training=TrainingMode.TRAINING,
        opset_version=12,
        do_constant_folding=False,
    )
proto = onnx.load_from_string(buffer.getvalue())
print(op_types(proto))
#> ['Gemm', 'Relu', 'Constant', 'Constant', 'Dropout', 'Gemm']
assert "Dropout" in op_types(proto)
with torch.no_grad():
    expected = model.eval()(x).numpy(force=True)

# onnxruntime loads the two Constant nodes (ratio, training_mode) as initializers
level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
optimized, _, _ = run_in_ort(proto, x, level=level)
print("ORT_DISABLE_ALL:", optimized)
#> ORT_DISABLE_ALL: ['Gemm', 'Relu', 'Dropout', 'Gemm']
assert "Constant" not in optimized and "Dropout" in optimized

# the default session: EliminateDropout removes it, every run gives the eval output
optimized, first, second = run_in_ort(proto, x)
print("default:", optimized, "random:", not np.array_equal(first, second))
#> default: ['FusedGemm', 'Gemm'] random: False
assert "Dropout" not in optimized and np.array_equal(first, second)
assert np.allclose(first, expected, rtol=1e-4, atol=1e-5)

# without that one rewrite rule, the Dropout stays and draws a new mask each run
optimized, first, second = run_in_ort(
    proto, x, disabled_optimizers=["EliminateDropout"]
)
print(
    "without EliminateDropout:", optimized, "random:", not np.array_equal(first, second)
)
#> without EliminateDropout: ['FusedGemm', 'Dropout', 'Gemm'] random: True
assert "Dropout" in optimized and not np.array_equal(first, second)
