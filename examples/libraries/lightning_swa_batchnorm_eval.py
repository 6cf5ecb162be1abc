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
warnings.filterwarnings(
    "ignore", message=r"Found 1 module\(s\) in eval mode"
)  # the frozen BatchNorm, on purpose (see lightning_fit_keeps_eval.py)

torch.manual_seed(0)
inputs = torch.randn(8, 2) * 3 + 1
data = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(inputs), batch_size=4)
pretrained = nn.BatchNorm1d(4)  # statistics from earlier training, to be kept
pretrained.running_mean.fill_(2.0)
pretrained.running_var.fill_(3.0)


class KeepEvalBatchNorm(StochasticWeightAveraging):
    """Resets and recomputes only the BatchNorms in training mode."""

    def reset_batch_norm_and_save_state(self, pl_module):
        kept = [
            (bn, bn.running_mean, bn.running_var, bn.num_batches_tracked.clone())
            for bn in pl_module.modules()
            if isinstance(bn, nn.modules.batchnorm._BatchNorm) and not bn.training
        ]
        super().reset_batch_norm_and_save_state(pl_module)  # resets them all
        for bn, mean, var, count in kept:  # mean and var were replaced, not zeroed
            bn.running_mean, bn.running_var = mean, var
            bn.num_batches_tracked.copy_(count)  # this one was zeroed in place


class Regressor(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(4), nn.Linear(4, 1))
        self.net[1].load_state_dict(pretrained.state_dict())
        self.net[1].eval()  # kept in eval mode on purpose
        self.seen = set()  # (BatchNorm training, grad mode) in training_step
        self.epochs = set()
        self.validated = {}  # epoch -> the BatchNorm's (running_mean, running_var)

    def training_step(self, batch, batch_idx):
        self.epochs.add(self.current_epoch)
        self.seen.add((self.net[1].training, torch.is_grad_enabled()))
        return self.net(batch[0]).pow(2).mean()

    def validation_step(self, batch, batch_idx):
        norm = self.net[1]
        self.validated[self.current_epoch] = (
            norm.running_mean.clone(),
            norm.running_var.clone(),
        )

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)


def fit(callback):
    torch.manual_seed(0)
    model = Regressor()
    trainer = L.Trainer(
        devices=1,
        max_epochs=3,
        callbacks=[callback(swa_lrs=0.05, swa_epoch_start=1)],
        limit_val_batches=1,
        num_sanity_val_steps=0,
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
    )
    trainer.fit(model, data, data)
    assert model.epochs == {0, 1, 2, 3}  # the callback added epoch 3
    mean, var = model.validated[3]  # validated after the added epoch: as after fit
    assert torch.equal(mean, model.net[1].running_mean)
    assert torch.equal(var, model.net[1].running_var)
    return model.seen, model.net[1]


results = {}
for name, callback in (
    ("callback", StochasticWeightAveraging),
    ("subclass", KeepEvalBatchNorm),
):
    seen, norm = results[name] = fit(callback)
    mean, var = norm.running_mean.unique().tolist(), norm.running_var.unique().tolist()
    print(f"{name}: steps {seen}, after fit: mean {mean}, var {var}")
    #> callback: steps {(False, True)}, after fit: mean [0.0], var [1.0]
    #> subclass: steps {(False, True)}, after fit: mean [2.0], var [3.0]

# (BatchNorm training, grad mode) in the steps: the BatchNorm stays in eval mode in
# every epoch, the added one included, which runs with grad mode on.
assert all(seen == {(False, True)} for seen, _ in results.values())
# The callback resets its statistics, and nothing recomputes them: the validation
# after the added epoch and the model after fit see mean 0 and variance 1.
_, norm = results["callback"]
assert torch.equal(norm.running_mean, torch.zeros(4))
assert torch.equal(norm.running_var, torch.ones(4))
assert norm.num_batches_tracked.item() == 0
# With the subclass, the statistics from before fit are kept.
_, norm = results["subclass"]
assert torch.equal(norm.running_mean, pretrained.running_mean)
assert torch.equal(norm.running_var, pretrained.running_var)
