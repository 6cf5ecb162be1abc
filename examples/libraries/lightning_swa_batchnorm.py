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


class Regressor(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(4), nn.Linear(4, 1))
        self.validated = []  # (epoch, a copy of the weights validated)
        self.momentum = {}  # epoch -> BatchNorm momentum in training_step
        self.grad_mode = {}  # epoch -> grad mode in training_step
        self.at_start = []  # the first layer's weight at the start of each epoch

    def on_train_epoch_start(self):
        self.at_start.append(self.net[0].weight.detach().clone())

    def training_step(self, batch, batch_idx):
        self.momentum[self.current_epoch] = self.net[1].momentum
        self.grad_mode[self.current_epoch] = torch.is_grad_enabled()
        return self.net(batch[0]).pow(2).mean()

    def validation_step(self, batch, batch_idx):
        weights = {k: v.clone() for k, v in self.net.state_dict().items()}
        self.validated.append((self.current_epoch, weights))

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)


data = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(inputs), batch_size=4)
swa = StochasticWeightAveraging(swa_lrs=0.05, swa_epoch_start=1)  # average from epoch 0
model = Regressor()
trainer = L.Trainer(
    devices=1,
    max_epochs=3,
    callbacks=[swa],
    limit_val_batches=1,
    num_sanity_val_steps=0,
    logger=False,
    enable_checkpointing=False,
    enable_progress_bar=False,
    enable_model_summary=False,
)
trainer.fit(model, data, data)
averaged = swa._average_model.net  # the callback's copy that holds the average

print("epochs run:", trainer.current_epoch, "for max_epochs =", trainer.max_epochs)
#> epochs run: 4 for max_epochs = 3
print("BatchNorm momentum in training_step per epoch:", model.momentum)
#> BatchNorm momentum in training_step per epoch: {0: 0.1, 1: 0.1, 2: 0.1, 3: None}
for epoch, weights in model.validated:
    is_average = torch.equal(weights["0.weight"], averaged[0].weight)
    print(f"validation after epoch {epoch}: averaged weights: {is_average}")
    #> validation after epoch 0: averaged weights: False
    #> validation after epoch 1: averaged weights: False
    #> validation after epoch 2: averaged weights: False
    #> validation after epoch 3: averaged weights: True

# The SWA epochs validate the weights being trained, with their own statistics; the
# added epoch validates the averaged weights. Its one optimizer step changed nothing:
# the validation before it had set the gradients to None (lightning_swa_final_weights.py).
assert [torch.equal(w["0.weight"], averaged[0].weight) for _, w in model.validated] == [
    False,
    False,
    False,
    True,
]
# The average is taken at the start of epochs 0, 1 and 2 (swa_epoch_start=1 is the
# first epoch): the weights trained in the last epoch are not in it.
assert swa.n_averaged.item() == 3
assert torch.allclose(averaged[0].weight, torch.stack(model.at_start[:3]).mean(0))
# With a BatchNorm, one more epoch is added: the averaged weights are copied in, the
# statistics reset and recomputed over the training data with momentum=None (a plain
# average), training_step runs without backward (grad mode on), then validation sees
# the result. After fit, max_epochs and the momentum are back to what they were.
assert model.momentum == {0: 0.1, 1: 0.1, 2: 0.1, 3: None}
assert model.grad_mode == {0: True, 1: True, 2: True, 3: True}
assert trainer.max_epochs == 3
assert model.net[1].momentum == 0.1
epoch, last = model.validated[-1]
with torch.no_grad():
    batch_means = [averaged[0](x).mean(0) for (x,) in data]
assert torch.allclose(last["1.running_mean"], torch.stack(batch_means).mean(0))
assert last["1.num_batches_tracked"].item() == len(data)
