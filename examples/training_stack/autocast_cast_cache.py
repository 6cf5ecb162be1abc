import contextlib

import torch
from torch import nn
from torch.utils._python_dispatch import TorchDispatchMode

torch.manual_seed(0)
layer = nn.Linear(8, 8)
x = torch.randn(4, 8)
device_type = x.device.type  # torch.autocast needs one; never hard-code it


class CountCasts(TorchDispatchMode):
    """Counts the dtype conversions autocast performs (aten ops below autocast)."""

    def __init__(self) -> None:
        super().__init__()
        self.casts = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        if func in (torch.ops.aten._to_copy.default, torch.ops.aten.to.dtype):
            self.casts += 1
        return func(*args, **(kwargs or {}))


def casts(mode, frozen: bool = False, cache: bool = True) -> int:
    """Conversions for three forwards inside one autocast region."""
    layer.requires_grad_(not frozen)
    with (
        CountCasts() as counter,
        torch.autocast(device_type, torch.bfloat16, cache_enabled=cache),
    ):
        for _ in range(3):
            with mode():
                layer(x)
    layer.requires_grad_(True)
    return counter.casts


print("cache on by default:", torch.is_autocast_cache_enabled())
#> cache on by default: True
rows = {
    "grad mode": casts(contextlib.nullcontext),
    "no_grad": casts(torch.no_grad),
    "inference_mode": casts(torch.inference_mode),
    "frozen weights": casts(contextlib.nullcontext, frozen=True),
    "cache_enabled=False": casts(contextlib.nullcontext, cache=False),
}
for name, count in rows.items():
    print(f"{name}: {count} casts for 3 forwards")
    #> grad mode: 5 casts for 3 forwards
    #> no_grad: 5 casts for 3 forwards
    #> inference_mode: 9 casts for 3 forwards
    #> frozen weights: 9 casts for 3 forwards
    #> cache_enabled=False: 9 casts for 3 forwards
# cached: weight and bias once, the input every time (3 + 2); uncached: 3 x 3
assert rows["grad mode"] == rows["no_grad"] == 3 + 2
assert rows["inference_mode"] == rows["frozen weights"] == 3 * 3
# each casts() call is a new region and casts the weights again: leaving the
# outermost autocast region cleared the cache
assert casts(contextlib.nullcontext) == rows["grad mode"]

# A no_grad forward first does not poison the cache for a training forward
# (pytorch/pytorch#48049, fixed): the weight still gets its gradient
with torch.autocast(device_type, torch.bfloat16):
    with torch.no_grad():
        layer(x)  # fills the cache
    out = layer(x)  # reuses the cached cast
print("dtype:", out.dtype, "| requires_grad:", out.requires_grad)
#> dtype: torch.bfloat16 | requires_grad: True
out.float().sum().backward()
assert layer.weight.grad is not None

# inference_mode inside autocast, then training in the same region (#158232)
with torch.autocast(device_type, torch.bfloat16):
    with torch.inference_mode():
        layer(x)
    layer(x).float().sum().backward()  # works: inference_mode casts are not cached
print("training after inference_mode in one autocast region: ok")
#> training after inference_mode in one autocast region: ok
