import copy

import torch
from _diagnose import check_eval_ready, report
from torch import nn

torch.manual_seed(0)


class Classifier(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16))
        self.head = nn.Linear(16, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.backbone(x))


# "Freezing" BatchNorm with requires_grad only; eval() undone by model.train()
model = Classifier()
model.backbone.requires_grad_(False).eval()
model.train()  # the first line of each epoch puts the backbone back in training mode
findings = report(model).findings
print(findings)
"""
frozen-batchnorm-training: backbone.1 (BatchNorm1d): in training mode in a frozen part: its running statistics still move (see pitfalls/#batchnorm-requires-grad)
"""
assert findings.codes == ["frozen-batchnorm-training"]
model.backbone.eval()  # the fix, after every model.train() (or override train())
assert not report(model).findings

# Frozen parameters moved by the optimizer: frozen mid-run, zero_grad(set_to_none=False)
model = nn.Sequential(nn.Linear(8, 8), nn.Linear(8, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=0.01)
x = torch.randn(16, 8)
for step in range(3):
    if step == 2:
        model[0].requires_grad_(False)
    optimizer.zero_grad(set_to_none=False)
    model(x).pow(2).mean().backward()
    optimizer.step()
findings = report(model, optimizer).findings
print(findings)
"""
frozen-moved-by-step: 0 (Linear): weight, bias frozen with a zero .grad, yet SGD.step() changes weight, bias (weight decay and momentum) (see pitfalls/#frozen-moved-by-optimizer)
"""
assert findings.codes == ["frozen-moved-by-step"]
optimizer.zero_grad()  # the fix: .grad is None, and step() skips the parameter
findings = report(model, optimizer).findings
print(findings)
"""
frozen-optimizer-state: 0 (Linear): weight, bias frozen, but SGD keeps state for weight, bias: memory, and a stale state if unfrozen (see requires-grad/#ex-freeze-after-step)
"""
assert findings.codes == ["frozen-optimizer-state"]

# A teacher under no_grad, frozen, but left in training mode
student = nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16), nn.Dropout(0.2))
teacher = copy.deepcopy(student).requires_grad_(False)
with torch.no_grad():
    findings = report(teacher).findings + check_eval_ready(teacher)
print(findings.codes)
#> ['frozen-batchnorm-training', 'training-layers']
assert "2 (Dropout)" in findings[1].message

# An EMA update without no_grad: the frozen teacher becomes part of the graph
teacher.eval()
for t, s in zip(teacher.parameters(), student.parameters(), strict=True):
    t.mul_(0.9).add_(s, alpha=0.1)
findings = report(teacher).findings
print(findings)
"""
computed-parameter: 0 (Linear): weight, bias have a grad_fn (AddBackward0): changed in place outside no_grad, now computed from other tensors (see pitfalls/#ema-without-no-grad)
computed-parameter: 1 (BatchNorm1d): weight, bias have a grad_fn (AddBackward0): changed in place outside no_grad, now computed from other tensors (see pitfalls/#ema-without-no-grad)
"""
assert findings.codes == ["computed-parameter"] * 2
