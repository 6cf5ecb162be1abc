import torch
import torch.nn.functional as F
from _diagnose import check_eval_ready, report
from torch import nn

torch.manual_seed(0)
x = torch.randn(4, 8)


class Layer(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(8, 8)


# rrelu, alpha_dropout, feature_alpha_dropout: `training` defaults to False (never random)
class NeverRandom(Layer):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = F.rrelu(self.linear(x))
        return F.alpha_dropout(h, 0.5) + F.feature_alpha_dropout(h, 0.5)


model = NeverRandom().train()  # even in training mode
with torch.no_grad():
    assert torch.equal(model(x), model(x))
assert not report(model.eval()).findings


class AskedFor(Layer):  # random when asked, in every mode: two forwards find it
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.rrelu(self.linear(x), training=True)


model = AskedFor().eval()
with torch.no_grad():
    assert not report(model).findings
    assert check_eval_ready(model, x).codes == ["random-in-eval"]


# A registered Dropout reached as an attribute, a config value named dropout: no call
# of F.dropout, so no finding
class Config:
    dropout = 0.1


class Attention(Layer):
    def __init__(self) -> None:
        super().__init__()
        self.config = Config()
        self.inner = nn.Module()
        self.inner.dropout = nn.Dropout(self.config.dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        p = self.config.dropout  # read, not called
        return self.inner.dropout(self.linear(x)) * (1 - p)


model = Attention().eval()
with torch.no_grad():
    assert not report(model).findings and not check_eval_ready(model, x)


# A method of the class that forward calls is read too (one level): F.dropout there
class Helper(Layer):
    def noisy(self, h: torch.Tensor) -> torch.Tensor:
        return F.dropout(h, 0.5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.noisy(self.linear(x))


findings = report(Helper().eval()).findings
print(findings.codes, findings[0].where)
#> ['functional-dropout'] Helper
assert findings.codes == ["functional-dropout"]


# and self.training read in such a method makes the layer mode-dependent
class RunningCenter(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.register_buffer("mean", torch.zeros(8))

    def center(self, x: torch.Tensor) -> torch.Tensor:
        if self.training:
            self.mean.lerp_(x.mean(0), 0.1)
            return x.mean(0)
        return self.mean

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x - self.center(x)


model = nn.Sequential(nn.Linear(8, 8), RunningCenter(), nn.Linear(8, 1)).eval()
model[1].train()  # left in training mode for evaluation
with torch.no_grad():
    findings = check_eval_ready(model, x)
print(findings)
"""
training-layers: Sequential: still in training mode: 1 (RunningCenter) (see pitfalls/#forgot-eval)
"""
assert findings.codes == ["training-layers"]
model[1].eval()  # the fix
with torch.no_grad():
    assert not check_eval_ready(model, x)
