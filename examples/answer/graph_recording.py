import torch
from torch import nn

torch.manual_seed(0)
model = nn.Linear(4, 2)
x = torch.randn(8, 4)


def grad_fn_name(out: torch.Tensor) -> str | None:
    return type(out.grad_fn).__name__ if out.grad_fn is not None else None


print(grad_fn_name(model(x)))
#> AddmmBackward0

weights = [p.clone() for p in model.parameters()]
model.eval()
assert grad_fn_name(model(x)) == "AddmmBackward0"  # eval() still records the graph
assert all(p.requires_grad for p in model.parameters())  # leaves requires_grad alone
unchanged = zip(weights, model.parameters(), strict=True)
assert all(torch.equal(w, p) for w, p in unchanged)  # and the weights
model.train()

model.requires_grad_(False)
assert grad_fn_name(model(x)) is None  # nothing requires grad: nothing to record
x_grad = x.clone().requires_grad_()
assert grad_fn_name(model(x_grad)) == "AddmmBackward0"  # the input still does
model.requires_grad_(True)

with torch.no_grad():
    assert grad_fn_name(model(x)) is None
    assert grad_fn_name(model(x_grad)) is None

with torch.inference_mode():
    assert grad_fn_name(model(x)) is None
    assert grad_fn_name(model(x_grad)) is None

print("no graph: no_grad, inference_mode, or nothing that requires grad")
#> no graph: no_grad, inference_mode, or nothing that requires grad
