import numpy as np
import onnxruntime as ort
import torch
from _onnx import export, op_types, run_in_ort
from torch import nn

Level = ort.GraphOptimizationLevel
torch.manual_seed(0)
x = torch.randn(8, 4)

for last in (False, True):  # Dropout inside the graph, then Dropout as its last node
    layers = [nn.Linear(4, 4), nn.ReLU(), nn.Dropout(0.5), nn.Linear(4, 2)]
    model = nn.Sequential(*(layers[:3] if last else layers))
    proto, _ = export(model.train(), x)  # training mode: Dropout is in the graph
    with torch.no_grad():
        expected = model.eval()(x).numpy(force=True)
    assert "Dropout" in op_types(proto)
    for level in (Level.ORT_ENABLE_ALL, Level.ORT_ENABLE_BASIC, Level.ORT_DISABLE_ALL):
        optimized, first, second = run_in_ort(proto, x, level=level)
        kept = "Dropout" in optimized
        print(
            "last" if last else "inside",
            level.name,
            optimized,
            "== eval:",
            np.allclose(first, expected, rtol=1e-4, atol=1e-5),
            "random:",
            not np.array_equal(first, second),
        )
        #> inside ORT_ENABLE_ALL ['FusedGemm', 'Gemm'] == eval: True random: False
        #> inside ORT_ENABLE_BASIC ['Gemm', 'Relu', 'Gemm'] == eval: True random: False
        """
        inside ORT_DISABLE_ALL ['Gemm', 'Relu', 'Dropout', 'Gemm'] == eval: False random: True
        """
        #> last ORT_ENABLE_ALL ['FusedGemm', 'Dropout'] == eval: False random: True
        """
        last ORT_ENABLE_BASIC ['Gemm', 'Relu', 'Dropout'] == eval: False random: True
        """
        #> last ORT_DISABLE_ALL ['Gemm', 'Relu', 'Dropout'] == eval: False random: True
        # a Dropout that onnxruntime keeps is in training mode: a new mask each run
        assert kept == (last or level == Level.ORT_DISABLE_ALL)
        assert kept == (not np.array_equal(first, second))
        assert kept != np.allclose(first, expected, rtol=1e-4, atol=1e-5)
