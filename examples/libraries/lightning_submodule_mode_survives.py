import logging
import warnings

import lightning as L
import torch
from torch import nn

logging.getLogger("lightning.pytorch").setLevel(
    logging.ERROR
)  # no "GPU available" lines
warnings.filterwarnings(
    "ignore", message=r".*isinstance\(treespec, LeafSpec\)"
)  # torch 2.13

torch.manual_seed(0)
seen = []  # (step, did validation run before it, BatchNorm training)


class FrozenNorm(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.norm = nn.BatchNorm1d(4)  # a pretrained part we keep in eval mode
        self.head = nn.Linear(4, 1)
        self.validated = 0

    def on_train_epoch_start(self):
        self.norm.eval()  # at the start of every training epoch

    def training_step(self, batch, batch_idx):
        seen.append((batch_idx, self.validated, self.norm.training, self.head.training))
        return self.head(self.norm(batch[0])).sum()

    def validation_step(self, batch, batch_idx):
        self.validated += 1
        assert not self.norm.training and not self.head.training  # all in eval

    def configure_optimizers(self):
        return torch.optim.SGD(self.head.parameters(), lr=0.1)


data = torch.utils.data.DataLoader(
    torch.utils.data.TensorDataset(torch.randn(8, 4)), batch_size=4
)
trainer = L.Trainer(
    devices=1,
    max_epochs=1,
    val_check_interval=1,  # validate after every training batch
    limit_val_batches=1,
    num_sanity_val_steps=0,
    logger=False,
    enable_checkpointing=False,
    enable_progress_bar=False,
    enable_model_summary=False,
)
model = FrozenNorm()
before = model.norm.running_mean.clone()
trainer.fit(model, data, data)
for step, validated, norm_training, _ in seen:
    print(
        f"step {step}, validations before it: {validated}, BatchNorm training: {norm_training}"
    )
    #> step 0, validations before it: 0, BatchNorm training: False
    #> step 1, validations before it: 1, BatchNorm training: False
assert seen[1][1] == 1  # validation ran between the two steps
assert not any(norm for _, _, norm, _ in seen)  # ... and left the BatchNorm in eval
assert all(head for _, _, _, head in seen)  # and the rest in training mode
assert torch.equal(model.norm.running_mean, before)  # statistics never updated
