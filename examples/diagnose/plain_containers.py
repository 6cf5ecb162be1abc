import torch
from _diagnose import check_eval_ready, report
from torch import nn

torch.manual_seed(0)


class Net(nn.Module):
    def __init__(self, container: type) -> None:
        super().__init__()
        self.blocks = container([nn.Linear(4, 4), nn.Dropout(0.5)])
        self.head = nn.Linear(4, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for block in self.blocks:
            x = block(x)
        return self.head(x)


def reached(model: Net) -> dict[str, bool]:
    """Which Module methods reach the blocks."""
    model.eval().requires_grad_(False).to(torch.float64)
    linear, dropout = model.blocks
    return {
        "eval()": not dropout.training,
        "requires_grad_()": not linear.weight.requires_grad,
        "parameters()": any(p is linear.weight for p in model.parameters()),
        "to()": linear.weight.dtype == torch.float64,
        "state_dict()": "blocks.0.weight" in model.state_dict(),
    }


plain, registered = reached(Net(list)), reached(Net(nn.ModuleList))
print("plain list:", plain)
"""
plain list: {'eval()': False, 'requires_grad_()': False, 'parameters()': False, 'to()': False, 'state_dict()': False}
"""
print("nn.ModuleList:", registered)
"""
nn.ModuleList: {'eval()': True, 'requires_grad_()': True, 'parameters()': True, 'to()': True, 'state_dict()': True}
"""
assert not any(plain.values()) and all(registered.values())

model = Net(list).eval()
assert model(torch.randn(2, 4)).shape == (2, 1)  # the forward runs the blocks anyway
print(report(model).findings)
"""
training-layers: Net: still in training mode: blocks[1] (Dropout) (see pitfalls/#forgot-eval)
plain-container: blocks: a plain container holds Linear, Dropout: eval(), requires_grad_(), parameters(), to() and state_dict() do not reach them; use nn.ModuleList or nn.ModuleDict (see diagnose/#plain-containers)
"""
assert report(model).findings.codes == ["training-layers", "plain-container"]


class Heads(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.heads = {"age": nn.Linear(4, 1), "size": nn.Linear(4, 1)}  # a plain dict


print(report(Heads()).findings[0].where)
#> heads
with torch.no_grad():
    assert "plain-container" in check_eval_ready(model).codes
    assert not check_eval_ready(Net(nn.ModuleList).eval())
