import numpy as np
import onnxruntime as ort
import torch
from _onnx import export, run_in_ort, the_node
from torch import nn

Level = ort.GraphOptimizationLevel
torch.manual_seed(0)
x = torch.randn(8, 4)
linear, relu, last = nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 2)
dropout = nn.Dropout(0.5)
models = {  # where the Dropout sits in the graph
    "between": nn.Sequential(linear, relu, dropout, last),  # a node before and after
    "output": nn.Sequential(linear, relu, dropout),  # it gives the graph's output
    "input": nn.Sequential(dropout, linear, relu, last),  # it reads the graph's input
}

for where, model in models.items():
    proto, _ = export(model.train(), x)  # training mode: Dropout is in the graph
    with torch.no_grad():
        expected = model.eval()(x).numpy(force=True)
    node = the_node(proto, "Dropout")
    assert (node.input[0] == proto.graph.input[0].name) == (where == "input")
    assert (node.output[0] == proto.graph.output[0].name) == (where == "output")
    for level in (Level.ORT_ENABLE_ALL, Level.ORT_ENABLE_BASIC, Level.ORT_DISABLE_ALL):
        optimized, first, second = run_in_ort(proto, x, level=level)
        kept = "Dropout" in optimized
        print(
            where,
            level.name,
            optimized,
            "== eval:",
            np.allclose(first, expected, rtol=1e-4, atol=1e-5),
            "random:",
            not np.array_equal(first, second),
        )
        #> between ORT_ENABLE_ALL ['FusedGemm', 'Gemm'] == eval: True random: False
        """
        between ORT_ENABLE_BASIC ['Gemm', 'Relu', 'Gemm'] == eval: True random: False
        """
        """
        between ORT_DISABLE_ALL ['Gemm', 'Relu', 'Dropout', 'Gemm'] == eval: False random: True
        """
        #> output ORT_ENABLE_ALL ['FusedGemm', 'Dropout'] == eval: False random: True
        """
        output ORT_ENABLE_BASIC ['Gemm', 'Relu', 'Dropout'] == eval: False random: True
        """
        """
        output ORT_DISABLE_ALL ['Gemm', 'Relu', 'Dropout'] == eval: False random: True
        """
        """
        input ORT_ENABLE_ALL ['Dropout', 'FusedGemm', 'Gemm'] == eval: False random: True
        """
        """
        input ORT_ENABLE_BASIC ['Dropout', 'Gemm', 'Relu', 'Gemm'] == eval: False random: True
        """
        """
        input ORT_DISABLE_ALL ['Dropout', 'Gemm', 'Relu', 'Gemm'] == eval: False random: True
        """
        # removed only between two nodes, and only by the optimizing levels
        assert kept == (where != "between" or level == Level.ORT_DISABLE_ALL)
        # a Dropout that onnxruntime keeps is in training mode: a new mask each run
        assert kept == (not np.array_equal(first, second))
        assert kept != np.allclose(first, expected, rtol=1e-4, atol=1e-5)
