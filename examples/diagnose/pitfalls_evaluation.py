import torch
import torch.nn.functional as F
from _diagnose import check_eval_ready, report
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(8, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.5), nn.Linear(16, 2)
)
x = torch.randn(4, 8)

# Forgetting eval() in validation (and one sample through BatchNorm in training mode)
with torch.no_grad():
    findings = check_eval_ready(model)
print(findings)
"""
training-layers: Sequential: still in training mode: 1 (BatchNorm1d), 3 (Dropout) (see pitfalls/#forgot-eval)
"""
assert findings.codes == ["training-layers"]

# Forgetting no_grad in validation (and expecting eval() to save memory)
model.eval()
findings = check_eval_ready(model)
print(findings)
"""
grad-mode-on: this thread: grad mode is on: each forward records a graph and keeps tensors for backward (use no_grad or inference_mode) (see pitfalls/#forgot-no-grad)
"""
assert findings.codes == ["grad-mode-on"]
with torch.no_grad():
    assert not check_eval_ready(model, x)  # the fix: eval() and no_grad


# F.dropout without training=self.training: read in forward, and seen at run time
class Wrong(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(8, 8)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.dropout(self.linear(x), p=0.5)  # training=True by default


model = nn.Sequential(Wrong(), nn.Linear(8, 2)).eval()
print(report(model).findings)
"""
functional-dropout: 0 (Wrong): forward calls dropout() without reading self.training: eval() does not switch it off (see pitfalls/#functional-dropout)
"""
with torch.no_grad():
    findings = check_eval_ready(model, x)  # with inputs: two forwards must agree
print(findings.codes, findings[-1].where)
#> ['functional-dropout', 'random-in-eval'] 0 (Wrong)


def noisy(x: torch.Tensor) -> torch.Tensor:
    return F.dropout(x, p=0.5)


class Hidden(Wrong):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return noisy(self.linear(x))  # the same, one call away: not in forward's code


model = nn.Sequential(Hidden(), nn.Linear(8, 2)).eval()
with torch.no_grad():
    assert not check_eval_ready(model)  # the code of forward alone cannot tell
    findings = check_eval_ready(model, x)  # two forwards can
print(findings)
"""
random-in-eval: 0 (Hidden): two forwards of the same input in eval mode differ from this module on: something random is still on (see pitfalls/#functional-dropout)
"""
assert findings.codes == ["random-in-eval"]
