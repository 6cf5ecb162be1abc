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
    raise AssertionError("numpy() accepted a tensor that requires grad")
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
with torch.inference_mode():
    made_in_inference_mode = model(x)
# used outside the block: the output does not require grad either
print(made_in_inference_mode.requires_grad, made_in_inference_mode.cpu().numpy().shape)
#> False (3, 2)
assert (made_in_inference_mode.cpu().numpy() == array).all()
assert (out.numpy(force=True) == array).all()  # force=True: detach() and cpu() for you

# The refusal needs grad mode on: under no_grad, numpy() takes a tensor that
# requires grad as it is
weight = model.weight.detach().cpu().requires_grad_()  # a CPU leaf that requires grad
with torch.no_grad():
    print("under no_grad:", weight.requires_grad, weight.numpy().shape)
    #> under no_grad: True (2, 4)
try:
    weight.numpy()
except RuntimeError:
    print("grad mode on: refused")
    #> grad mode on: refused
else:
    raise AssertionError("numpy() accepted a tensor that requires grad in grad mode")
