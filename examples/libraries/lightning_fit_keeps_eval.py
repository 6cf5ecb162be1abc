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
seen = []


class Wrapper(L.LightningModule):
    def __init__(self, backbone):
        super().__init__()
        self.backbone = backbone
        self.head = nn.Linear(4, 1)

    def training_step(self, batch, batch_idx):
        seen.append((self.backbone.training, self.head.training))
        return self.head(self.backbone(batch[0])).sum()

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)


backbone = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5)).eval()  # as from_pretrained
data = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(2, 4)))
trainer = L.Trainer(
    devices=1,
    max_epochs=1,
    limit_train_batches=1,
    logger=False,
    enable_checkpointing=False,
    enable_progress_bar=False,
    enable_model_summary=False,
)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    trainer.fit(Wrapper(backbone), data)
assert caught, "trainer.fit() did not warn"
messages = [str(w.message) for w in caught if "eval mode" in str(w.message)]
assert messages and messages[0].startswith("Found 3 module(s) in eval mode")
print(messages[0])
"""
Found 3 module(s) in eval mode at the start of training. This may lead to unexpected behavior during training. If this is intentional, you can ignore this warning.
"""
assert seen == [
    (False, True)
]  # fit() did not call train(): the backbone trained in eval
print("backbone training in training_step:", seen[0][0])
#> backbone training in training_step: False
