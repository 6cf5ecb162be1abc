import torch
from torch import nn
from torch.func import vmap

torch.manual_seed(0)
drop = nn.Dropout(0.5)  # training mode: every call draws a random mask
xs = torch.ones(4, 16)  # 4 identical samples, mapped over dim 0

try:
    vmap(drop)(xs)  # randomness="error" is the default
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("vmap over Dropout in training mode did not raise")
print(message)
"""
vmap: called random operation while in randomness error mode. Please either use the 'same' or 'different' randomness flags on vmap or perform the randomness operation out of vmap
"""


def rows_equal(out: torch.Tensor) -> bool:
    return all(torch.equal(out[0], row) for row in out[1:])


different = vmap(drop, randomness="different")(xs)  # one mask per sample
same = vmap(drop, randomness="same")(xs)  # one mask for the whole batch
print("different: rows equal:", rows_equal(different))
#> different: rows equal: False
print("same: rows equal:", rows_equal(same))
#> same: rows equal: True
assert not rows_equal(different) and rows_equal(same)
assert (same == 0).any() and (same != 0).any()  # Dropout did act

drop.eval()  # no randomness at all: the default randomness="error" is fine
print("eval: output is the input:", torch.equal(vmap(drop)(xs), xs))
#> eval: output is the input: True
assert torch.equal(vmap(drop)(xs), xs)
