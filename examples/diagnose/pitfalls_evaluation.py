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
functional-dropout: 0 (Wrong): forward calls F.dropout() (itself, or in a method of its class) without reading self.training: eval() does not switch it off (see pitfalls/#functional-dropout)
"""
assert report(model).findings.codes == ["functional-dropout"]
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
random-in-eval: 0 (Hidden): two forwards of the same input in eval mode differ from this module on: something random, or state the forward keeps between calls (see pitfalls/#functional-dropout)
"""
assert findings.codes == ["random-in-eval"]


# Stochastic depth that never reads self.training: the two forwards run other modules
class StochasticDepth(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.block, self.head = nn.Linear(8, 8), nn.Linear(8, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if torch.rand(()) < 0.7:  # meant for training only
            x = x + self.block(x)
        return self.head(x)


model = StochasticDepth().eval()
with torch.no_grad():
    findings = check_eval_ready(model, x)
print(findings.codes, findings[0].where)
#> ['random-in-eval'] StochasticDepth
assert findings.codes == ["random-in-eval"] and findings[0].where == "StochasticDepth"


# State kept between calls differs too, with nothing random: a hidden state, a counter
class Stateful(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.rnn, self.h = nn.GRU(8, 8, batch_first=True), None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out, h = self.rnn(x, self.h)
        self.h = h.detach()  # the next call starts from this one's state
        return out


model = Stateful().eval()
sequence = torch.randn(2, 3, 8)
with torch.no_grad():
    findings = check_eval_ready(model, sequence)
    outputs = []
    for _ in range(2):
        torch.manual_seed(0)  # the same seed: what differs is not random
        outputs.append(model(sequence))
print(findings.codes, findings[0].where)
#> ['random-in-eval'] rnn (GRU)
assert findings.codes == ["random-in-eval"] and not torch.equal(*outputs)
assert "state the forward keeps between calls" in findings[0].message
