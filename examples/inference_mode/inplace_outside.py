import textwrap

import torch

torch.manual_seed(0)
with torch.inference_mode():
    total = torch.zeros(3)

try:
    total.add_(1)  # outside inference_mode
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("total.add_(1) did not raise RuntimeError")
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


def set_item(t: torch.Tensor) -> None:
    t[0] = 5.0


def iadd(t: torch.Tensor) -> None:
    t += 1


updates = {
    "mul_": lambda t: t.mul_(2),
    "fill_": lambda t: t.fill_(5),
    "zero_": lambda t: t.zero_(),
    "copy_": lambda t: t.copy_(torch.full((3,), 5.0)),
    "+=": iadd,
    "t[0] = ...": set_item,
}
raised_after_writing = []
for name, update in updates.items():
    with torch.inference_mode():
        t = torch.ones(3)
    try:
        update(t)
    except RuntimeError:  # the check runs after the kernel: the data has changed
        if not torch.equal(t, torch.ones(3)):
            raised_after_writing.append(name)
print("raised after writing:", ", ".join(raised_after_writing))
#> raised after writing: mul_, fill_, zero_, copy_, +=, t[0] = ...
assert raised_after_writing == list(updates)

with torch.inference_mode():
    total.add_(1)  # fine inside the mode
total = total.clone()  # the fix: a normal copy, made outside the mode
total.add_(1)
assert not total.is_inference() and total.tolist() == [3.0, 3.0, 3.0]
