import torch
from _diagnose import report
from torch import nn

torch.manual_seed(0)
model = nn.Linear(4, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)  # plain SGD: no momentum

model(torch.randn(8, 4)).sum().backward()
model.weight.requires_grad_(False)  # frozen after backward(), before step()
findings = report(model, optimizer).findings
print(findings)
"""
frozen-stale-grad: Linear: weight frozen while holding a .grad: SGD.step() applies it (see requires-grad/#ex-freeze-between-backward-and-step)
"""
assert findings.codes == ["frozen-stale-grad"]
print(report(model).findings)  # without the optimizer it cannot tell
"""
frozen-grad: Linear: weight frozen while holding a .grad: an optimizer that holds a parameter applies its .grad (pass the optimizer to check) (see requires-grad/#none-vs-zero)
"""
assert report(model).findings.codes == ["frozen-grad"]

before = model.weight.detach().clone()
optimizer.step()
assert not torch.equal(model.weight, before)  # the finding was right: it moved

model.weight.grad = torch.zeros_like(model.weight)  # plain SGD with a zero .grad
assert not report(model, optimizer).findings  # no momentum, no decay: it stays
assert report(model).findings.codes == ["frozen-grad"]  # zero or not, without it
model.weight.grad = None  # the fix when freezing
assert not report(model, optimizer).findings and not report(model).findings
