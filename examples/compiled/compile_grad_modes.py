import torch
from torch import nn
from torch._dynamo.testing import CompileCounterWithBackend

torch._dynamo.reset()  # a fresh compile cache, as in a new process
torch.manual_seed(0)
model = nn.Linear(4, 4)
counter = CompileCounterWithBackend("aot_eager")  # counts compilations
compiled = torch.compile(model, backend=counter)
x = torch.randn(2, 4)

with torch.inference_mode():  # first call, and compilation, inside inference_mode
    out = compiled(x)
print("inference_mode:", counter.frame_count, out.is_inference())
#> inference_mode: 1 True
with torch.no_grad():
    out = compiled(x)
print("no_grad:", counter.frame_count, out.requires_grad)
#> no_grad: 2 False
out = compiled(x)  # grad mode: not the no_grad graph, a graph with a backward
print("grad mode:", counter.frame_count, type(out.grad_fn).__name__)
#> grad mode: 3 CompiledFunctionBackward
out.sum().backward()
expected = torch.autograd.grad(model(x).sum(), model.weight)[0]
assert torch.allclose(model.weight.grad, expected)

with torch.no_grad():  # each mode has its own graph now: no new compilation
    compiled(x)
with torch.inference_mode():
    compiled(x)
compiled(x)
print("again, all three modes:", counter.frame_count)
#> again, all three modes: 3
assert counter.frame_count == 3
assert not model.weight.is_inference()  # parameters stay normal tensors
