import torch
from torch import nn
from torch.optim.swa_utils import AveragedModel, update_bn

torch.manual_seed(0)
inputs = torch.randn(8, 2) * 3 + 1
loader = torch.utils.data.DataLoader(
    torch.utils.data.TensorDataset(inputs), batch_size=4
)

model = nn.Sequential(
    nn.Linear(2, 4), nn.BatchNorm1d(4), nn.Dropout(0.5), nn.Linear(4, 1)
)
swa_model = AveragedModel(model)  # the averaged weights, with a copy of the buffers
seen = []  # (training, grad mode, momentum) of the BatchNorm in each pass of update_bn
swa_model.module[1].register_forward_hook(
    lambda bn, args, output: seen.append(
        (bn.training, torch.is_grad_enabled(), bn.momentum)
    )
)

results = {}
for mode in ("eval", "train, BatchNorm eval"):
    swa_model.train(mode != "eval")
    if mode != "eval":
        swa_model.module[1].eval()  # a BatchNorm kept in eval mode on purpose
    seen.clear()
    update_bn(loader, swa_model)  # one pass over the loader, in training mode
    norm = swa_model.module[1]
    results[mode] = (set(seen), norm.training, swa_model.module[2].training)
    print(f"{mode}: passes {set(seen)}, BatchNorm after: {norm.training}")
    #> eval: passes {(True, False, None)}, BatchNorm after: False
    #> train, BatchNorm eval: passes {(True, False, None)}, BatchNorm after: True

# Each pass: training mode, grad mode off (update_bn is decorated with no_grad),
# momentum None (a plain average over the batches).
assert all(passes == {(True, False, None)} for passes, _, _ in results.values())
# Afterwards: model.train(was_training) on the whole model, not each module's own mode.
assert results["eval"][1:] == (False, False)
assert results["train, BatchNorm eval"][1:] == (True, True)
# The statistics are the plain average of the batch means; the momentum is put back.
with torch.no_grad():
    batch_means = [swa_model.module[0](x).mean(0) for (x,) in loader]
assert torch.allclose(norm.running_mean, torch.stack(batch_means).mean(0))
assert norm.momentum == 0.1 and norm.num_batches_tracked.item() == len(loader)
