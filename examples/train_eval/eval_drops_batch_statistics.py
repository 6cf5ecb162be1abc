import torch
from torch import nn

torch.manual_seed(0)
bn = nn.BatchNorm1d(3)
x = torch.randn(8, 3, requires_grad=True)


def elements_saved_for_backward() -> int:
    saved = []
    with torch.autograd.graph.saved_tensors_hooks(
        lambda t: saved.append(t.numel()) or t, lambda t: t
    ):
        bn(x)
    return sum(saved)


in_training = elements_saved_for_backward()
bn.eval()
in_eval = elements_saved_for_backward()
print("BatchNorm saves less in eval mode:", in_eval < in_training)
#> BatchNorm saves less in eval mode: True
assert in_eval < in_training
out = bn(x)  # the batch mean and inverse std are saved empty in eval mode
print(tuple(out.grad_fn._saved_result1.shape), tuple(out.grad_fn._saved_result2.shape))
#> (0,) (0,)
