import collections
import logging
import warnings

import lightning as L
import torch
from lightning.pytorch.callbacks import StochasticWeightAveraging
from torch import nn

logging.getLogger("lightning.pytorch").setLevel(
    logging.ERROR
)  # no "GPU available" lines
warnings.filterwarnings(
    "ignore", message=r".*isinstance\(treespec, LeafSpec\)"
)  # torch 2.13

torch.manual_seed(0)
inputs = torch.randn(8, 2) * 3 + 1
data = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(inputs), batch_size=4)


class Regressor(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(4), nn.Linear(4, 1))
        self.steps = []  # per optimizer step: (epoch, lr, the gradient it applied)
        self.momentum = set()  # BatchNorm momenta seen in training_step

    def training_step(self, batch, batch_idx):
        self.momentum.add(self.net[1].momentum)
        return self.net(batch[0]).pow(2).mean()

    def validation_step(self, batch, batch_idx):
        pass

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.parameters(), lr=0.1)
        optimizer.register_step_post_hook(self.after_step)
        return optimizer

    def after_step(self, optimizer, args, kwargs):
        grad = self.net[0].weight.grad  # Lightning's closure ran inside the step
        grad = None if grad is None else grad.clone()
        self.steps.append((self.current_epoch, optimizer.param_groups[0]["lr"], grad))

    def steps_per_epoch(self):
        return dict(collections.Counter(epoch for epoch, *_ in self.steps))


def fit(setup):
    torch.manual_seed(0)
    model = Regressor()
    swa = StochasticWeightAveraging(swa_lrs=0.05, swa_epoch_start=1)
    trainer = L.Trainer(
        devices=1,
        max_epochs=-1 if setup == "max_epochs=-1" else 3,
        max_steps=6 if setup == "max_epochs=-1" else -1,  # 3 epochs of 2 batches
        callbacks=[swa],
        limit_val_batches=0 if setup == "no validation" else 1,
        num_sanity_val_steps=0,
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
    )
    trainer.fit(model, data, data)
    return model, swa._average_model.net


runs = {setup: fit(setup) for setup in ("validation", "no validation", "max_epochs=-1")}
print(
    "setup          steps per epoch            final = average  statistics recomputed"
)
#> setup          steps per epoch            final = average  statistics recomputed
for setup, (model, averaged) in runs.items():
    is_average = torch.equal(model.net[0].weight, averaged[0].weight)
    recomputed = None in model.momentum  # momentum None: the added epoch ran
    print(f"{setup:14} {model.steps_per_epoch()!s:26} {is_average!s:16} {recomputed}")
    #> validation     {0: 2, 1: 2, 2: 2, 3: 1}   True             True
    #> no validation  {0: 2, 1: 2, 2: 2, 3: 1}   False            True
    #> max_epochs=-1  {0: 2, 1: 2, 2: 2}         True             False

# The added epoch (3) skips backward and zero_grad, but the optimizer steps once,
# on its last batch, with the gradients left in the parameters.
for setup in ("validation", "no validation"):
    assert runs[setup][0].steps_per_epoch() == {0: 2, 1: 2, 2: 2, 3: 1}
# After a validation, the gradients are None (on_validation_model_zero_grad):
# that step changes nothing, and the model keeps the averaged weights.
model, averaged = runs["validation"]
epoch, lr, grad = model.steps[-1]
assert epoch == 3 and grad is None
assert torch.equal(model.net[0].weight, averaged[0].weight)
# Without validation, the step of epoch 3 applies the gradients of the last batch
# of epoch 2 to the averaged weights (plain SGD: w - lr * grad).
model, averaged = runs["no validation"]
epoch, lr, grad = model.steps[-1]
assert epoch == 3 and model.steps[-2][0] == 2  # the step before: epoch 2's last
assert torch.equal(grad, model.steps[-2][2])
assert torch.allclose(model.net[0].weight, averaged[0].weight - lr * grad)
assert not torch.equal(model.net[0].weight, averaged[0].weight)
# max_epochs=-1: no epoch is added and the statistics are not recomputed
# (momentum never None); at the end the callback copies the average in.
model, averaged = runs["max_epochs=-1"]
assert model.steps_per_epoch() == {0: 2, 1: 2, 2: 2} and model.momentum == {0.1}
assert model.net[1].num_batches_tracked.item() == 6  # the trained weights' batches
assert torch.equal(model.net[0].weight, averaged[0].weight)
