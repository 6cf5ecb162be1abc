import warnings

import torch
from torch import nn
from torch.utils.checkpoint import checkpoint

torch.manual_seed(0)
frozen = nn.Linear(8, 8).requires_grad_(False)  # e.g. a frozen embedding
block = nn.Linear(8, 8)  # trainable, checkpointed to save memory
head = nn.Linear(8, 1)
x = torch.randn(4, 8)


def block_gets_gradient(h: torch.Tensor, use_reentrant: bool) -> tuple[bool, list]:
    block.zero_grad(set_to_none=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        y = checkpoint(block, h, use_reentrant=use_reentrant)
        head(y).sum().backward()
    return block.weight.grad is not None, [str(w.message) for w in caught]


# The symptom: reentrant checkpoint after a frozen prefix; the block never trains
trained, messages = block_gets_gradient(frozen(x), use_reentrant=True)
print(messages[0])
#> None of the inputs have requires_grad=True. Gradients will be None
print("use_reentrant=True: block gets a gradient:", trained)
#> use_reentrant=True: block gets a gradient: False
assert not trained and head.weight.grad is not None  # no error: training goes on

# With nothing trainable after the block, backward raises instead
with warnings.catch_warnings(record=True) as caught:  # the same warning first
    warnings.simplefilter("always")
    try:
        checkpoint(block, frozen(x), use_reentrant=True).sum().backward()
    except RuntimeError as error:
        message = str(error)
    else:
        raise AssertionError(
            "backward through the reentrant checkpoint did not raise RuntimeError"
        )
assert "None of the inputs have requires_grad=True" in str(caught[0].message)
print(message)
#> element 0 of tensors does not require grad and does not have a grad_fn
assert message.startswith("element 0 of tensors does not require grad")

# Fix 1: the non-reentrant variant (recommended by the docs)
trained, messages = block_gets_gradient(frozen(x), use_reentrant=False)
print("use_reentrant=False: block gets a gradient:", trained)
#> use_reentrant=False: block gets a gradient: True
assert trained and messages == []

# Fix 2: keep reentrant, and give it an input that requires grad
trained, messages = block_gets_gradient(frozen(x).requires_grad_(), use_reentrant=True)
print("input.requires_grad_(): block gets a gradient:", trained)
#> input.requires_grad_(): block gets a gradient: True
assert trained and messages == []

# Leaving use_reentrant out warns, and still means True in PyTorch 2.13
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    checkpoint(block, frozen(x))
assert caught, "checkpoint without use_reentrant did not warn"
print(str(caught[0].message).split(". ")[0])
#> torch.utils.checkpoint: the use_reentrant parameter should be passed explicitly
assert "Starting in PyTorch 2.9, calling checkpoint without" in str(caught[0].message)
assert "None of the inputs have requires_grad=True" in str(caught[-1].message)  # =True
