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


class FrozenNorm(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.norm = nn.BatchNorm1d(4)  # a pretrained part we keep in eval mode
        self.head = nn.Linear(4, 1)
        self.validated = 0
        self.seen = []  # (step, validations before it, BatchNorm training, head training)

    def on_train_epoch_start(self):
        self.norm.eval()  # at the start of every training epoch

    def training_step(self, batch, batch_idx):
        self.seen.append(
            (batch_idx, self.validated, self.norm.training, self.head.training)
        )
        return self.head(self.norm(batch[0])).sum()

    def validation_step(self, batch, batch_idx):
        self.validated += 1
        assert not self.norm.training and not self.head.training  # all in eval

    def configure_optimizers(self):
        return torch.optim.SGD(self.head.parameters(), lr=0.1)


class OwnHook(FrozenNorm):
    def on_validation_model_train(self):  # called instead of restoring the modes
        pass


class OwnHookCallingSuper(FrozenNorm):
    def on_validation_model_train(self):
        super().on_validation_model_train()  # model.train() on the whole model


def fit(module_class):
    """Two training steps with a validation run between them."""
    torch.manual_seed(0)
    model = module_class()
    before = model.norm.running_mean.clone()
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
    trainer.fit(model, data, data)
    assert [(step, validated) for step, validated, _, _ in model.seen] == [
        (0, 0),
        (1, 1),  # validation ran between the two steps
    ]
    statistics_changed = not torch.equal(model.norm.running_mean, before)
    return model.seen[1][2:], statistics_changed


results = {cls.__name__: fit(cls) for cls in (FrozenNorm, OwnHook, OwnHookCallingSuper)}
print("after validation: (BatchNorm training, head training, stats updated)")
#> after validation: (BatchNorm training, head training, stats updated)
for name, ((norm, head), changed) in results.items():
    print(f"{name:19} {(norm, head, changed)}")
    #> FrozenNorm          (False, True, False)
    #> OwnHook             (False, False, False)
    #> OwnHookCallingSuper (True, True, True)

# Default: each module's own mode is restored; the BatchNorm never updates its statistics.
assert results["FrozenNorm"] == ((False, True), False)
# Your hook, without super(): nothing is restored, the whole model stays in eval mode.
assert results["OwnHook"] == ((False, False), False)
# super() calls model.train(): the BatchNorm is back in training mode and updates.
assert results["OwnHookCallingSuper"] == ((True, True), True)
