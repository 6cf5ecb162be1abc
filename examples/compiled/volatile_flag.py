import warnings

import torch
from torch.autograd import Variable

torch.manual_seed(0)

weight = torch.ones(2, requires_grad=True)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    x = Variable(torch.ones(2), volatile=True)  # the pre-0.4 way to say "no graph"
assert caught, "Variable(volatile=True) did not warn"
message = str(caught[0].message)
print(message)
#> volatile was removed and now has no effect. Use `with torch.no_grad():` instead.
assert message.startswith("volatile was removed and now has no effect")
print("Variable is Tensor:", type(x) is torch.Tensor)
#> Variable is Tensor: True
print("recorded anyway:", (x * weight).requires_grad)
#> recorded anyway: True
assert not x.requires_grad and (x * weight).requires_grad  # use no_grad instead
