import torch

torch.manual_seed(0)
labels = torch.randint(0, 3, (4,))

try:
    labels.requires_grad_()
except RuntimeError as error:
    message = str(error)
assert message.startswith("only Tensors of floating point")
print(message)
#> only Tensors of floating point dtype can require gradients
assert torch.randn(2, dtype=torch.complex64).requires_grad_().requires_grad
