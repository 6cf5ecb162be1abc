import textwrap

import torch

torch.manual_seed(0)
with torch.inference_mode():
    total = torch.zeros(3)

try:
    total.add_(1)  # outside inference_mode
except RuntimeError as error:
    message = str(error)
print(textwrap.fill(message, width=80))
"""
Inplace update to inference tensor outside InferenceMode is not allowed.You can
make a clone to get a normal tensor before doing inplace update.See
https://github.com/pytorch/rfcs/pull/17 for more details.
"""
assert message.startswith("Inplace update to inference tensor outside InferenceMode")
print("values after the error:", " ".join(f"{v:g}" for v in total.tolist()))
#> values after the error: 1 1 1
assert total.tolist() == [1.0, 1.0, 1.0]  # the update ran before the check raised

with torch.inference_mode():
    total.add_(1)  # fine inside the mode
total = total.clone()  # the fix: a normal copy, made outside the mode
total.add_(1)
assert not total.is_inference() and total.tolist() == [3.0, 3.0, 3.0]
