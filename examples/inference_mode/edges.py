import contextlib

import torch

torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)

with torch.inference_mode():
    with torch.enable_grad():
        flags = torch.is_grad_enabled(), torch.is_inference_mode_enabled()
        y = w * 2  # grad mode reads True, but nothing is recorded
    with torch.inference_mode(False):
        inner = torch.is_grad_enabled(), torch.is_inference_mode_enabled()
        z = w * 2  # an ordinary, recorded computation

print("enable_grad inside: grad, inference =", *flags)
#> enable_grad inside: grad, inference = True True
print("  result:", y.is_inference(), y.requires_grad)
#>   result: True False
print("inference_mode(False) inside: grad, inference =", *inner)
#> inference_mode(False) inside: grad, inference = True False
print("  result:", z.is_inference(), type(z.grad_fn).__name__)
#>   result: False MulBackward0
assert flags == (True, True) and y.is_inference() and y.grad_fn is None
assert inner == (True, False) and not z.is_inference() and z.requires_grad

with torch.no_grad(), torch.inference_mode(False):
    inside_no_grad = torch.is_grad_enabled()  # mode=False switches grad mode on
print("inference_mode(False) inside no_grad: grad =", inside_no_grad)
#> inference_mode(False) inside no_grad: grad = True
assert inside_no_grad

use_inference_mode = False
optional = torch.inference_mode() if use_inference_mode else contextlib.nullcontext()
with torch.no_grad(), optional:  # an optional mode that leaves no_grad alone
    assert not torch.is_grad_enabled()
