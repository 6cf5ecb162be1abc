from concurrent.futures import ThreadPoolExecutor

import torch
from _diagnose import check_eval_ready, check_loss, check_trainable, where_grad_stops
from torch import nn

torch.manual_seed(0)
model = nn.Linear(4, 1)
x = torch.randn(8, 4)

# no_grad does not reach worker threads: check where the work runs
model.eval()
with torch.no_grad(), ThreadPoolExecutor(max_workers=1) as pool:
    assert not check_eval_ready(model)  # this thread: fine
    (findings,) = pool.map(check_eval_ready, [model])  # the worker: grad mode on
print(findings.codes, findings[0].where)
#> ['grad-mode-on'] this thread
model.train()

# set_grad_enabled(False) called as a plain function, never restored
torch.set_grad_enabled(False)
print(where_grad_stops(model, x))
"""
grad-mode-off: this thread: grad mode is off: nothing is recorded (inside no_grad, or a set_grad_enabled(False) left on) (see pitfalls/#set-grad-enabled-plain)
"""
assert check_trainable(model).codes == ["grad-mode-off"]
torch.set_grad_enabled(True)

# Summing loss tensors across steps
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
total = 0.0
for _ in range(3):
    loss = model(torch.randn(8, 4)).pow(2).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    total += loss  # the mistake: loss.item() keeps a number
print(check_loss(total))
"""
freed-graph: loss: its graph holds 6 node(s) whose saved tensors an earlier backward() freed: it was built across steps (total += loss); log loss.item() (see pitfalls/#accumulating-loss)
"""
assert check_loss(total).codes == ["freed-graph"]
assert not check_loss(model(x).pow(2).mean())  # a fresh loss


# In-place changes through .data, inside a forward
class Squash(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(4, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.linear(x).sigmoid()
        y.data.mul_(2)  # sigmoid saved y for backward: its gradient is now wrong
        return y


findings = where_grad_stops(Squash(), x)
print(findings)
"""
data-used: Squash: .data on a tensor that requires grad: autograd does not see what is done through it (in-place changes give wrong gradients) (see detach/#data)
"""
assert findings.codes == ["data-used"]
