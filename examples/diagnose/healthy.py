import torch
from _diagnose import assert_eval_ready, assert_trainable, report, where_grad_stops
from torch import nn

torch.manual_seed(0)


class Classifier(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16), nn.ReLU())
        self.head = nn.Sequential(nn.Dropout(0.5), nn.Linear(16, 2))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.backbone(x))


model = Classifier()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
x = torch.randn(4, 8)

# Training: every switch as it should be
print(report(model, optimizer))
"""
Classifier: training mode
this thread: grad mode on, inference mode off
BatchNorm1d (running statistics) in training mode: backbone.1
Dropout (p=0.5) in training mode: head.0
parameters:
  backbone: trainable 176 (704 bytes), frozen 0 (0 bytes)
  head: trainable 34 (136 bytes), frozen 0 (0 bytes)
findings:
no findings
"""
assert not report(model, optimizer).findings
running_mean, rng = model.backbone[1].running_mean.clone(), torch.get_rng_state()
assert not where_grad_stops(model, x)  # one forward and one backward, then put back:
assert torch.equal(model.backbone[1].running_mean, running_mean)  # the statistics,
assert all(p.grad is None for p in model.parameters())  # every .grad,
assert torch.equal(torch.get_rng_state(), rng)  # and the random state
assert_trainable(model, optimizer, inputs=(x,))

# Evaluation: eval() and inference_mode; two forwards of the same input agree
model.eval()
with torch.inference_mode():
    assert_eval_ready(model, x)
    assert not report(model).findings


# Fine-tuning the head: a frozen backbone kept in eval mode by train()
class FrozenBackbone(Classifier):
    def train(self, mode: bool = True) -> "FrozenBackbone":
        super().train(mode)
        self.backbone.eval()
        return self


model = FrozenBackbone()
model.backbone.requires_grad_(False)
optimizer = torch.optim.SGD(model.head.parameters(), lr=0.1, momentum=0.9)
model.train()
findings = report(model, optimizer).findings
print(findings)
#> no findings
assert not findings and not where_grad_stops(model, x)
assert_trainable(model, optimizer, expected=["head"], inputs=(x,))
