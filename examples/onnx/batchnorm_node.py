import numpy as np
import onnxruntime as ort
import torch
from _onnx import attributes, export, run_in_ort, the_node
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.BatchNorm1d(4), nn.Linear(4, 2))
x = torch.randn(8, 4)
model.train()
for _ in range(3):  # move the running statistics away from 0 and 1
    model(torch.randn(8, 4) * 3 + 1)

proto, _ = export(model, x)  # exported in training mode
bn = the_node(proto, "BatchNormalization")
print(
    "outputs:",
    len(bn.output),
    "training_mode:",
    attributes(bn).get("training_mode", "absent"),
)
#> outputs: 1 training_mode: absent
print("mean and var from:", [name.split(".")[-1] for name in bn.input[3:]])
#> mean and var from: ['running_mean', 'running_var']
assert len(bn.output) == 1 and "training_mode" not in attributes(bn)  # 0 by default

_, ours, _ = run_in_ort(proto, x, level=ort.GraphOptimizationLevel.ORT_DISABLE_ALL)
with torch.no_grad():
    eval_out = model.eval()(x).numpy(force=True)  # running statistics
    train_out = model.train()(x).numpy(force=True)  # batch statistics (moves them)
print("onnxruntime == PyTorch eval:", np.allclose(ours, eval_out, rtol=1e-4, atol=1e-5))
#> onnxruntime == PyTorch eval: True
print(
    "onnxruntime == PyTorch train:", np.allclose(ours, train_out, rtol=1e-4, atol=1e-5)
)
#> onnxruntime == PyTorch train: False
assert np.allclose(ours, eval_out, rtol=1e-4, atol=1e-5)
assert not np.allclose(ours, train_out, rtol=1e-4, atol=1e-5)
