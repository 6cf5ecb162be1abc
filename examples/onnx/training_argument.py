import onnx
import torch
from _onnx import attributes, export, op_types, the_node
from torch import nn
from torch.onnx import TrainingMode

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(4, 4), nn.ReLU(), nn.BatchNorm1d(4), nn.Dropout(0.5), nn.Linear(4, 2)
)
x = torch.randn(8, 4)

# the default exporter (dynamo=True) never reads training=: the model's own mode decides
for mode, asked in ((False, TrainingMode.TRAINING), (True, TrainingMode.EVAL)):
    model.train(mode)
    plain, _ = export(model, x)
    proto, warned = export(model, x, training=asked)
    assert onnx.printer.to_text(proto) == onnx.printer.to_text(plain)  # the same model
    assert not any("`training`" in message for message in warned)  # not a word on it
    bn = the_node(proto, "BatchNormalization")
    print(
        f"model.training={mode}, training={asked.name}:",
        op_types(proto),
        "BatchNormalization outputs:",
        len(bn.output),
        "training_mode:",
        attributes(bn).get("training_mode", "absent"),
    )
    """
    model.training=False, training=TRAINING: ['Gemm', 'Relu', 'BatchNormalization', 'Gemm'] BatchNormalization outputs: 1 training_mode: absent
    """
    """
    model.training=True, training=EVAL: ['Gemm', 'Relu', 'BatchNormalization', 'Dropout', 'Gemm'] BatchNormalization outputs: 1 training_mode: absent
    """
    assert len(bn.output) == 1 and "training_mode" not in attributes(bn)
    assert ("Dropout" in op_types(proto)) == mode
