import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4), nn.Dropout(0.5))
x = torch.randn(8, 4)


def baked_mode(program):
    """The training flag the exported graph passes to dropout and batch_norm."""
    found = {}
    for node in program.graph.nodes:
        if node.target == torch.ops.aten.dropout.default:
            found["dropout(train=...)"] = node.args[2]
        if node.target == torch.ops.aten.batch_norm.default:
            found["batch_norm(training=...)"] = node.args[5]
    return found


program = torch.export.export(model, (x,))  # exported in training mode
print(baked_mode(program))
#> {'batch_norm(training=...)': True, 'dropout(train=...)': True}
exported = program.module()
running_mean = exported.get_buffer("1.running_mean")
before = running_mean.clone()
print("Dropout differs per call:", not torch.equal(exported(x), exported(x)))
#> Dropout differs per call: True
print("running_mean moved:", not torch.equal(running_mean, before))
#> running_mean moved: True
assert not torch.equal(running_mean, before)

model.eval()  # export again from the eager model, now in eval mode
program = torch.export.export(model, (x,))
print(baked_mode(program))
#> {'batch_norm(training=...)': False, 'dropout(train=...)': False}
assert not any(baked_mode(program).values())
exported = program.module()
assert torch.equal(exported(x), exported(x))
assert torch.allclose(exported(x), model(x), atol=1e-5)
