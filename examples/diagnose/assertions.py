import copy

import torch
from _diagnose import assert_eval_ready, assert_trainable, check_trainable
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(8, 8), nn.BatchNorm1d(8), nn.Linear(8, 2))
model.requires_grad = False  # meant: freeze all but the head (this freezes nothing)
optimizer = torch.optim.SGD(model[2].parameters(), lr=0.1)
x = torch.randn(4, 8)


def test_only_the_head_trains() -> None:  # a test of your own (pytest, unittest)
    assert_trainable(model, optimizer, expected=["2"], inputs=(x,))


try:
    test_only_the_head_trains()
except AssertionError as error:
    message = str(error)
else:
    raise AssertionError("assert_trainable did not raise")
print(message)
"""
the model is not ready for training:
module-requires-grad: Sequential: module.requires_grad = ... made a plain attribute: it freezes nothing (requires_grad_(False) does) (see requires-grad/#ex-module-attribute)
not-in-optimizer: 0 (Linear): weight, bias trainable, but not in SGD: never updated (see requires-grad/#optimizer)
not-in-optimizer: 1 (BatchNorm1d): weight, bias trainable, but not in SGD: never updated (see requires-grad/#optimizer)
expected-frozen: 0 (Linear): weight, bias trainable, expected frozen (see requires-grad/#recipe-trainable-summary)
expected-frozen: 1 (BatchNorm1d): weight, bias trainable, expected frozen (see requires-grad/#recipe-trainable-summary)
"""
findings = check_trainable(model, optimizer, expected=["2"], inputs=(x,))
assert message.splitlines()[1:] == [str(finding) for finding in findings]
assert (
    findings.codes
    == ["module-requires-grad"] + ["not-in-optimizer"] * 2 + ["expected-frozen"] * 2
)
assert all(p.requires_grad for p in model.parameters())  # frozen: nothing

# ignore= accepts findings you mean to have
assert_trainable(model, optimizer, ignore=("module-requires-grad", "not-in-optimizer"))

# The fix; then the same test passes, in training and in evaluation
del model.requires_grad
model[:2].requires_grad_(False)
model.train()
model[:2].eval()  # the frozen BatchNorm keeps its statistics
test_only_the_head_trains()
wrong = check_trainable(model, optimizer, expected=["0", "2"])  # 0 should train too
print(wrong)
"""
expected-trainable: 0 (Linear): weight, bias frozen, expected trainable (see requires-grad/#recipe-trainable-summary)
"""
assert wrong.codes == ["expected-trainable"]
model.eval()
with torch.inference_mode():
    assert_eval_ready(model, x)


# Findings you may mean to have: a momentum encoder (MoCo, BYOL) is frozen, updated by
# EMA, and its BatchNorm runs in training mode on purpose; a teacher kept in a plain
# list is hidden from parameters() and state_dict() on purpose
class MoCo(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.query = nn.Sequential(nn.Linear(8, 8), nn.BatchNorm1d(8))
        self.key = copy.deepcopy(self.query).requires_grad_(False)
        self._teacher = [nn.Linear(8, 8).requires_grad_(False).eval()]


model = MoCo()
findings = check_trainable(model)
print(findings.codes)
#> ['frozen-batchnorm-training', 'plain-container']
assert findings.codes == ["frozen-batchnorm-training", "plain-container"]
assert_trainable(model, ignore=("frozen-batchnorm-training", "plain-container"))
