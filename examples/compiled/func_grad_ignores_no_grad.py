import torch
from torch.func import grad

torch.manual_seed(0)

x = torch.tensor(3.0)


def f(t):
    return t**2


with torch.no_grad():
    print("torch.func.grad inside no_grad:", grad(f)(x).item())
    #> torch.func.grad inside no_grad: 6.0
    t = x.clone().requires_grad_()
    y = f(t)  # ordinary autograd: nothing is recorded under no_grad
    try:
        torch.autograd.grad(y, t)
    except RuntimeError as error:
        message = str(error)
    else:
        raise AssertionError("torch.autograd.grad(y, t) did not raise RuntimeError")
print(message)
#> element 0 of tensors does not require grad and does not have a grad_fn
assert "does not require grad" in message
with torch.inference_mode():
    assert grad(f)(x).item() == 6.0  # inference_mode does not stop it either


def g(t):
    with torch.no_grad():  # a no_grad INSIDE the function is respected
        c = t**3
    return t**2 + c


print("no_grad inside the function:", grad(g)(x).item())
#> no_grad inside the function: 6.0
assert grad(g)(x).item() == 6.0  # d(t**2)/dt only; t**3 is a constant
