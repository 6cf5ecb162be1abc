import torch

torch.manual_seed(0)
labels = torch.randint(0, 3, (4,))

try:
    labels.requires_grad_()
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("labels.requires_grad_() did not raise RuntimeError")
assert message.startswith("only Tensors of floating point")
print(message)
#> only Tensors of floating point dtype can require gradients
complex_tensor = torch.zeros(2, dtype=torch.complex64)
assert complex_tensor.requires_grad_().requires_grad  # complex dtypes are allowed
