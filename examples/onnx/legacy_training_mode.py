import copy
import io
import warnings

import onnx
import torch
from _onnx import attributes, op_types, the_node
from torch import nn
from torch.onnx import TrainingMode

torch.manual_seed(0)
trained = nn.Sequential(
    nn.Linear(4, 4), nn.ReLU(), nn.BatchNorm1d(4), nn.Dropout(0.5), nn.Linear(4, 2)
)
x = torch.randn(8, 4)

found = {}
for mode in (TrainingMode.EVAL, TrainingMode.PRESERVE, TrainingMode.TRAINING):
    model = copy.deepcopy(trained).train()  # a model in training mode, as in #80947
    bn = model[2]
    before = bn.running_mean.clone()
    buffer = io.BytesIO()  # in memory: nothing is written to disk
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        torch.onnx.export(model, (x,), buffer, dynamo=False, training=mode)
    assert caught, "the legacy exporter did not warn"
    found[mode] = [str(w.message) for w in caught]
    proto = onnx.load_from_string(buffer.getvalue())
    node = the_node(proto, "BatchNormalization")
    print(
        f"{mode.name}:",
        op_types(proto),
        "BatchNormalization outputs:",
        len(node.output),
        "training_mode:",
        attributes(node)["training_mode"],
        "running_mean moved:",
        not torch.equal(bn.running_mean, before),
    )
    """
    EVAL: ['Identity', 'Identity', 'Gemm', 'Relu', 'BatchNormalization', 'Gemm'] BatchNormalization outputs: 1 training_mode: 0 running_mean moved: False
    """
    """
    PRESERVE: ['Gemm', 'Relu', 'BatchNormalization', 'Constant', 'Constant', 'Dropout', 'Gemm'] BatchNormalization outputs: 3 training_mode: 1 running_mean moved: True
    """
    """
    TRAINING: ['Gemm', 'Relu', 'BatchNormalization', 'Constant', 'Constant', 'Dropout', 'Gemm'] BatchNormalization outputs: 3 training_mode: 1 running_mean moved: True
    """
    trains = mode != TrainingMode.EVAL  # PRESERVE keeps the model's training mode
    assert ("Dropout" in op_types(proto)) == trains
    assert attributes(node)["training_mode"] == trains
    assert len(node.output) == (3 if trains else 1)
    assert (not torch.equal(bn.running_mean, before)) == trains  # the live model
    assert int(bn.num_batches_tracked) == (1 if trains else 0)

legacy = [m for m in found[TrainingMode.EVAL] if "legacy" in m]
assert legacy, "dynamo=False did not warn that it is the legacy exporter"
print(legacy[0].split(". ")[0])
#> You are using the legacy TorchScript-based ONNX export
deprecated = [m for m in found[TrainingMode.TRAINING] if "`training`" in m]
assert deprecated, "training=TrainingMode.TRAINING did not warn"
print(deprecated[0])
"""
Setting `training` to something other than default is deprecated. The option will be removed in a future release. Please set the training mode before exporting the model.
"""
assert not any("`training`" in m for m in found[TrainingMode.PRESERVE])

model = copy.deepcopy(trained).eval()  # PRESERVE on a model in evaluation mode
before = model[2].running_mean.clone()
buffer = io.BytesIO()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    torch.onnx.export(model, (x,), buffer, dynamo=False, training=TrainingMode.PRESERVE)
assert caught, "the legacy exporter did not warn"
proto = onnx.load_from_string(buffer.getvalue())
node = the_node(proto, "BatchNormalization")
print(
    "PRESERVE, model in eval mode:", op_types(proto), attributes(node)["training_mode"]
)
"""
PRESERVE, model in eval mode: ['Identity', 'Identity', 'Gemm', 'Relu', 'BatchNormalization', 'Gemm'] 0
"""
assert "Dropout" not in op_types(proto) and attributes(node)["training_mode"] == 0
assert torch.equal(model[2].running_mean, before)
