import torch
from _diagnose import check_trainable, report, where_grad_stops
from torch import nn

torch.manual_seed(0)
x = torch.randn(4, 8)


def layers() -> nn.Sequential:
    return nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 8), nn.Linear(8, 2))


# A frozen prefix: nothing before it needs a gradient
prefix = layers()
prefix[0].requires_grad_(False)
optimizer = torch.optim.AdamW(p for p in prefix.parameters() if p.requires_grad)
assert not where_grad_stops(prefix, x)
assert not check_trainable(prefix, optimizer, expected=["2", "3"], inputs=(x,))

# A frozen middle: the gradient flows through it to the trainable layers before it
middle = layers()
middle[2].requires_grad_(False)
optimizer = torch.optim.AdamW(p for p in middle.parameters() if p.requires_grad)
findings = where_grad_stops(middle, x)
print("frozen middle:", findings)
#> frozen middle: no findings
assert not check_trainable(middle, optimizer, expected=["0", "3"], inputs=(x,))

# The optimizer built before a layer was unfrozen: that layer never trains
middle[2].requires_grad_(True)
findings = report(middle, optimizer).findings
print(findings)
"""
not-in-optimizer: 2 (Linear): weight, bias trainable, but not in AdamW: never updated (see requires-grad/#optimizer)
"""
assert findings.codes == ["not-in-optimizer"]
