import torch

torch.manual_seed(0)
with torch.inference_mode():
    x = torch.randn(3)

try:
    x.requires_grad_()
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("x.requires_grad_() did not raise RuntimeError")
print(message)
#> Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.
assert message.startswith("Setting requires_grad=True on inference tensor")

x = x.clone().requires_grad_()  # fix: clone outside the mode
(x**2).sum().backward()
assert torch.allclose(x.grad, 2 * x)
