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
# a model in training mode (as in #80947), then one in evaluation mode
for start in (True, False):
    for mode in (TrainingMode.EVAL, TrainingMode.PRESERVE, TrainingMode.TRAINING):
        model = copy.deepcopy(trained).train(start)
        bn = model[2]
        before = {name: buffer.clone() for name, buffer in bn.named_buffers()}
        buffer = io.BytesIO()  # in memory: nothing is written to disk
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            torch.onnx.export(model, (x,), buffer, dynamo=False, training=mode)
        assert caught, "the legacy exporter did not warn"
        found[start, mode] = caught
        proto = onnx.load_from_string(buffer.getvalue())
        node = the_node(proto, "BatchNormalization")
        moved = [n for n, b in bn.named_buffers() if not torch.equal(b, before[n])]
        print(
            f"model.training={start}, {mode.name}:",
            op_types(proto),
            "BatchNormalization outputs:",
            len(node.output),
            "training_mode:",
            attributes(node)["training_mode"],
            "moved:",
            moved,
            "model.training after:",
            model.training,
        )
        """
        model.training=True, EVAL: ['Identity', 'Identity', 'Gemm', 'Relu', 'BatchNormalization', 'Gemm'] BatchNormalization outputs: 1 training_mode: 0 moved: [] model.training after: True
        """
        """
        model.training=True, PRESERVE: ['Gemm', 'Relu', 'BatchNormalization', 'Constant', 'Constant', 'Dropout', 'Gemm'] BatchNormalization outputs: 3 training_mode: 1 moved: ['running_mean', 'running_var', 'num_batches_tracked'] model.training after: True
        """
        """
        model.training=True, TRAINING: ['Gemm', 'Relu', 'BatchNormalization', 'Constant', 'Constant', 'Dropout', 'Gemm'] BatchNormalization outputs: 3 training_mode: 1 moved: ['running_mean', 'running_var', 'num_batches_tracked'] model.training after: True
        """
        """
        model.training=False, EVAL: ['Identity', 'Identity', 'Gemm', 'Relu', 'BatchNormalization', 'Gemm'] BatchNormalization outputs: 1 training_mode: 0 moved: [] model.training after: False
        """
        """
        model.training=False, PRESERVE: ['Identity', 'Identity', 'Gemm', 'Relu', 'BatchNormalization', 'Gemm'] BatchNormalization outputs: 1 training_mode: 0 moved: [] model.training after: False
        """
        """
        model.training=False, TRAINING: ['Gemm', 'Relu', 'BatchNormalization', 'Constant', 'Constant', 'Dropout', 'Gemm'] BatchNormalization outputs: 3 training_mode: 1 moved: ['running_mean', 'running_var', 'num_batches_tracked'] model.training after: False
        """
        trains = mode == TrainingMode.TRAINING or (
            mode == TrainingMode.PRESERVE and start  # PRESERVE keeps the model's mode
        )
        assert ("Dropout" in op_types(proto)) == trains
        assert attributes(node)["training_mode"] == trains
        assert len(node.output) == (3 if trains else 1)
        assert moved == (list(before) if trains else [])  # the live model's buffers
        assert int(bn.num_batches_tracked) == (1 if trains else 0)
        assert model.training == start  # the mode is switched back after the export

legacy = [w for w in found[True, TrainingMode.EVAL] if "legacy" in str(w.message)]
assert legacy, "dynamo=False did not warn that it is the legacy exporter"
assert legacy[0].category is DeprecationWarning
print(f"{legacy[0].category.__name__}:", str(legacy[0].message).split(". ")[0])
#> DeprecationWarning: You are using the legacy TorchScript-based ONNX export
deprecated = [
    w for w in found[True, TrainingMode.TRAINING] if "`training`" in str(w.message)
]
assert deprecated, "training=TrainingMode.TRAINING did not warn"
assert deprecated[0].category is DeprecationWarning
print(f"{deprecated[0].category.__name__}: {deprecated[0].message}")
"""
DeprecationWarning: Setting `training` to something other than default is deprecated. The option will be removed in a future release. Please set the training mode before exporting the model.
"""
for (_, mode), warned in found.items():  # only TRAINING warns about `training`
    said = any("`training`" in str(w.message) for w in warned)
    assert said == (mode == TrainingMode.TRAINING)

# the exporter sets the mode back with model.train(<the model's own flag>): a submodule in
# another mode (MC dropout: model in eval mode, its Dropout in training mode) loses it
for mode in (TrainingMode.EVAL, TrainingMode.PRESERVE, TrainingMode.TRAINING):
    model = copy.deepcopy(trained).eval()
    model[3].train()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the warnings shown above
        torch.onnx.export(model, (x,), io.BytesIO(), dynamo=False, training=mode)
    print(f"{mode.name}: model.training={model.training}, Dropout: {model[3].training}")
    #> EVAL: model.training=False, Dropout: False
    #> PRESERVE: model.training=False, Dropout: True
    #> TRAINING: model.training=False, Dropout: False
    assert not model.training and model[3].training == (mode == TrainingMode.PRESERVE)
