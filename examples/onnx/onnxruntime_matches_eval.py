import numpy as np
import onnxruntime as ort
import torch
from _onnx import export, run_in_ort
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(4, 4), nn.ReLU(), nn.BatchNorm1d(4), nn.Dropout(0.5), nn.Linear(4, 2)
)
model.train()
for _ in range(3):  # running statistics away from their initial 0 and 1
    model(torch.randn(8, 4) * 3 + 1)
model.eval()
x = torch.randn(8, 4)

proto, _ = export(model, x)
optimized, first, second = run_in_ort(proto, x)  # the default session options
assert ort.SessionOptions().graph_optimization_level == (
    ort.GraphOptimizationLevel.ORT_ENABLE_ALL
)
with torch.no_grad():
    expected = model(x).numpy(force=True)
# float32, other kernels (and another device): equal up to rounding, not bit for bit
close = np.allclose(first, expected, rtol=1e-4, atol=1e-5)
print("onnxruntime == model.eval():", close)
#> onnxruntime == model.eval(): True
print("same output twice:", np.array_equal(first, second))
#> same output twice: True
assert close and np.array_equal(first, second)
# what the session ran: onnxruntime fused the first Gemm with its Relu
print(optimized)
#> ['FusedGemm', 'BatchNormalization', 'Gemm']
