import torch
from torch import nn

torch.manual_seed(0)
model = nn.Linear(4, 2)
x = torch.randn(3, 4)

out = model(x)
try:
    out.cpu().numpy()
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("out.cpu().numpy() did not raise RuntimeError")
print(message)
"""
Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.
"""
assert message.startswith("Can't call numpy() on Tensor that requires grad.")

array = out.detach().cpu().numpy()  # the fix: detach first (cpu() is a no-op on CPU)
with torch.no_grad():
    made_without_grad = model(x)  # requires_grad=False: numpy() works directly
print(made_without_grad.requires_grad, made_without_grad.cpu().numpy().shape)
#> False (3, 2)
assert (array == made_without_grad.cpu().numpy()).all()
assert (out.numpy(force=True) == array).all()  # force=True: detach() and cpu() for you
