import torch
from _diagnose import report, where_grad_stops
from torch import nn

torch.manual_seed(0)
backbone = nn.Linear(8, 16).eval()
head = nn.Linear(16, 2)
inputs, labels = torch.randn(32, 8), torch.randint(0, 2, (32,))


def loss_fn(logits: torch.Tensor) -> torch.Tensor:
    return nn.functional.cross_entropy(logits, labels)


# Inference tensors used in training: features cached under inference_mode
with torch.inference_mode():
    features = backbone(inputs)
findings = where_grad_stops(head, features, loss_fn=loss_fn)
print(findings)
"""
inference-tensor-saved: Linear: linear raised RuntimeError: its argument 0 is an inference tensor (made under inference_mode); clone() it, or make it under no_grad (see pitfalls/#inference-tensor-backward)
"""
assert findings.codes == ["inference-tensor-saved"]
assert not where_grad_stops(head, features.clone(), loss_fn=loss_fn)  # the fix


# A model built (or loaded) inside inference_mode: BatchNorm, or a Linear probe
@torch.inference_mode()
def load_model() -> nn.Module:
    return nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16))


print(report(load_model()).findings)
"""
inference-parameter: 0 (Linear): weight, bias are inference tensors (made under inference_mode): in-place updates fail, and views lose the gradient (see pitfalls/#inference-module-no-grad)
inference-parameter: 1 (BatchNorm1d): weight, bias, running_mean, running_var, num_batches_tracked are inference tensors (made under inference_mode): in-place updates fail, and views lose the gradient (see pitfalls/#inference-module-no-grad)
"""
with torch.inference_mode():
    probe = nn.Linear(8, 2)
findings = where_grad_stops(probe, inputs, loss_fn=loss_fn)
print(findings.codes)  # no error, and the weight gets no gradient: only this says why
#> ['inference-parameter']
assert findings.codes == ["inference-parameter"]
loss_fn(probe(inputs)).backward()  # no error
assert probe.weight.grad is None  # and no gradient
assert not report(nn.Linear(8, 2)).findings  # the fix: build it outside

# An error that is not about inference tensors is reported as it is
findings = where_grad_stops(probe, torch.randn(32, 5))  # the wrong width
print(findings[-1])
"""
forward-raised: Linear: linear raised RuntimeError: mat1 and mat2 shapes cannot be multiplied (32x5 and 8x2) (see errors/)
"""
assert findings.codes == ["inference-parameter", "forward-raised"]
