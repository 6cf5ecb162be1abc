import contextlib
import warnings

import torch
from torch import nn
from torch.utils.checkpoint import checkpoint


class Block(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.layer = nn.Linear(8, 8)

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        if self.training and torch.is_grad_enabled():  # a backward may come
            return checkpoint(self.layer, h, use_reentrant=True)
        return self.layer(h)  # evaluation: nothing to recompute, nothing to warn


torch.manual_seed(0)
embed = nn.Embedding(10, 8)
block = Block()
ids = torch.randint(0, 10, (4, 5))

out = block(embed(ids))  # training: checkpointed
print("training:", type(out.grad_fn).__name__)
#> training: CheckpointFunctionBackward
assert type(out.grad_fn).__name__ == "CheckpointFunctionBackward"

block.eval()
with warnings.catch_warnings(), torch.no_grad():
    warnings.simplefilter("error")  # a warning would raise here
    val = block(embed(ids))  # validation: the plain layer
print("validation:", val.grad_fn, "and no warning")
#> validation: None and no warning
assert torch.allclose(val, out.detach())  # the same result

# use_reentrant=False under no_grad: checkpoint runs the layer directly. Its forward
# context (where it installs the hooks that replace saved tensors) is not entered.
entered = []


@contextlib.contextmanager
def forward_context():
    entered.append("forward")  # runs when checkpoint enters it, not before
    yield


def context_fn():
    return forward_context(), contextlib.nullcontext()


with torch.no_grad():
    checkpoint(block.layer, embed(ids), use_reentrant=False, context_fn=context_fn)
print("use_reentrant=False under no_grad, checkpoint's forward context:", entered)
#> use_reentrant=False under no_grad, checkpoint's forward context: []
assert entered == []
checkpoint(block.layer, embed(ids), use_reentrant=False, context_fn=context_fn)
print("with grad mode on:", entered)
#> with grad mode on: ['forward']
assert entered == ["forward"]
