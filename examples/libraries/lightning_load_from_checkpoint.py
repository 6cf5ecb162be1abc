import logging
import tempfile
import warnings
from pathlib import Path

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


class Regressor(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5), nn.Linear(4, 1))

    def training_step(self, batch, batch_idx):
        return self.net(batch[0]).sum()

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)


model = Regressor()
assert all(m.training for m in model.modules())  # constructed: training mode
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
trainer.fit(model, data)
with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "model.ckpt"
    trainer.save_checkpoint(path)
    restored = Regressor.load_from_checkpoint(path)

assert all(m.training for m in restored.modules())  # not eval(), unlike from_pretrained
assert torch.equal(restored.net[0].weight.cpu(), model.net[0].weight.cpu())
print("after load_from_checkpoint, training:", restored.training)
#> after load_from_checkpoint, training: True
restored.eval()  # for predictions outside a Trainer, switch it yourself
x = torch.randn(1, 4, device=restored.device)
assert torch.equal(restored.net(x), restored.net(x))  # Dropout off
