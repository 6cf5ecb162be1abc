import warnings

import torch
from _diagnose import check_trainable, where_grad_stops
from torch import nn
from torch.utils.checkpoint import checkpoint

torch.manual_seed(0)
x = torch.randn(4, 8)


class Checkpointed(nn.Module):
    def __init__(self, use_reentrant: bool) -> None:
        super().__init__()
        self.embed = nn.Linear(8, 8).requires_grad_(False)  # a frozen prefix
        self.block = nn.Linear(8, 8)  # trainable, checkpointed to save memory
        self.head = nn.Linear(8, 1)
        self.use_reentrant = use_reentrant

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = checkpoint(self.block, self.embed(x), use_reentrant=self.use_reentrant)
        return self.head(h)


with warnings.catch_warnings(record=True) as caught:  # checkpoint warns,
    warnings.simplefilter("always")
    findings = where_grad_stops(Checkpointed(use_reentrant=True), x)
    in_a_test = check_trainable(Checkpointed(use_reentrant=True), inputs=(x,))
assert caught, "checkpoint did not warn"
print(caught[0].message)  # and says nothing of which layers
#> None of the inputs have requires_grad=True. Gradients will be None
assert "None of the inputs have requires_grad=True" in str(caught[0].message)
print(findings)
"""
reentrant-checkpoint: block (Linear): 2 trainable parameter(s) get no gradient (block.weight, block.bias): torch.utils.checkpoint(use_reentrant=True) runs them with grad mode off, and none of its inputs requires grad (see training-stack/#checkpoint)
"""
assert findings.codes == in_a_test.codes == ["reentrant-checkpoint"]
assert not where_grad_stops(Checkpointed(use_reentrant=False), x)  # the fix
