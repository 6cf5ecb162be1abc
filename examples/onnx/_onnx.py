"""Helpers for the ONNX examples: export quietly, read the graph, run it in onnxruntime.

Nothing is written into the repository: models stay in memory, and the optimized model
that onnxruntime saves goes to a temporary folder.
"""

import os
import tempfile
import warnings

import onnx
import onnxruntime as ort
import torch
from onnx import numpy_helper


def export(model, x, **options):
    """The default exporter (dynamo) on ``model``; the ONNX model, and what it warned."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        program = torch.onnx.export(model, (x,), verbose=False, **options)
    return program.model_proto, [str(warning.message) for warning in caught]


def op_types(proto):
    return [node.op_type for node in proto.graph.node]


def the_node(proto, op_type):
    (node,) = [node for node in proto.graph.node if node.op_type == op_type]
    return node


def attributes(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def constant(proto, name):
    """The value of ``name``: an initializer or the output of a Constant node."""
    for tensor in proto.graph.initializer:
        if tensor.name == name:
            return numpy_helper.to_array(tensor)
    for node in proto.graph.node:
        if node.op_type == "Constant" and node.output[0] == name:
            return numpy_helper.to_array(node.attribute[0].t)
    raise KeyError(name)


def run_in_ort(proto, x, level=None, disabled_optimizers=(), **feeds):
    """Two runs of ``proto`` on ``x`` in onnxruntime (CPU), and the op types left in the
    graph after the session's optimizations (its optimized_model_filepath)."""
    options = ort.SessionOptions()
    options.log_severity_level = 3  # errors only
    if level is not None:
        options.graph_optimization_level = level
    with tempfile.TemporaryDirectory() as folder:
        options.optimized_model_filepath = os.path.join(folder, "optimized.onnx")
        session = ort.InferenceSession(
            proto.SerializeToString(),
            options,
            providers=["CPUExecutionProvider"],
            disabled_optimizers=list(disabled_optimizers),
        )
        optimized = op_types(onnx.load(options.optimized_model_filepath))
    feeds = {session.get_inputs()[0].name: x.numpy(force=True), **feeds}
    first, second = (session.run(None, feeds)[0] for _ in range(2))
    return optimized, first, second
