import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(8, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.5), nn.Linear(16, 2)
)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
batches = {
    "train": [(torch.randn(16, 8), torch.randint(0, 2, (16,))) for _ in range(4)],
    "val": [(torch.randn(16, 8), torch.randint(0, 2, (16,))) for _ in range(2)],
}
dropout_was_identity = []
model[3].register_forward_hook(
    lambda module, args, out: dropout_was_identity.append(torch.equal(args[0], out))
)


def run_epoch(phase: str) -> float:
    model.train(phase == "train")  # Dropout and BatchNorm follow the phase
    total = 0.0
    with torch.set_grad_enabled(phase == "train"):  # a graph in training only
        for inputs, labels in batches[phase]:
            loss = nn.functional.cross_entropy(model(inputs), labels)
            if phase == "train":
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            else:
                assert loss.grad_fn is None  # no graph in validation
            total += loss.item()  # a float: keeps no graph alive
    return total / len(batches[phase])


for _epoch in range(2):
    train_loss = run_epoch("train")
    assert all(m.training for m in model.modules())  # train mode is back after val
    running_mean = model[1].running_mean.clone()
    dropout_was_identity.clear()
    val_loss = run_epoch("val")
    assert all(dropout_was_identity)  # Dropout off in validation
    assert torch.equal(model[1].running_mean, running_mean)  # BN stats unchanged

assert run_epoch("val") == val_loss  # validation is deterministic
assert torch.is_grad_enabled()  # the with block restored grad mode
print("val loss is deterministic:", run_epoch("val") == val_loss)
#> val loss is deterministic: True
