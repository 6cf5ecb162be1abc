import torch
from torch import nn

torch.manual_seed(0)
model = nn.Linear(4, 4)
compiled = torch.compile(model, backend="aot_eager")  # inductor: same output, slower
x = torch.randn(2, 4)

with torch.inference_mode():
    out_inference = compiled(x)
with torch.no_grad():
    out_no_grad = compiled(x)
out_grad = compiled(x)  # the same compiled module, called in grad mode

print("inference_mode:", out_inference.is_inference(), out_inference.requires_grad)
#> inference_mode: True False
print("no_grad:", out_no_grad.is_inference(), out_no_grad.requires_grad)
#> no_grad: False False
print("grad mode:", out_grad.requires_grad)
#> grad mode: True
assert torch.allclose(out_inference, model(x)) and torch.allclose(out_grad, model(x))
out_grad.sum().backward()
assert model.weight.grad is not None
