import logging
import warnings

import lightning as L
import torch
from _diagnose import report, where_grad_stops
from torch import nn

logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)  # no "GPU available"
torch.manual_seed(0)
options = dict(
    devices=1,
    logger=False,
    enable_checkpointing=False,
    enable_progress_bar=False,
    enable_model_summary=False,
)
seen = []


class Wrapper(L.LightningModule):
    def __init__(self, backbone: nn.Module) -> None:
        super().__init__()
        self.backbone = backbone
        self.head = nn.Linear(4, 1)

    def training_step(self, batch, batch_idx):
        seen.append(report(self, self.optimizers().optimizer).findings)
        return self.head(self.backbone(batch[0])).sum()

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)


# fit() does not call train(): a backbone loaded in eval mode trains in eval mode
backbone = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5)).eval()  # as from_pretrained
data = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(2, 4)))
trainer = L.Trainer(max_epochs=1, limit_train_batches=1, **options)
with warnings.catch_warnings():
    warnings.filterwarnings("ignore")  # Lightning's own warning counts eval modules
    trainer.fit(Wrapper(backbone), data)
(findings,) = seen
print(findings)
"""
eval-layers: Wrapper: in eval mode in a part that trains: backbone.1 (Dropout) (see train-eval/#ex-eval-still-trains)
"""
assert findings.codes == ["eval-layers"]


# Predictions from trainer.predict (inference_mode) reused as training targets
class Teacher(L.LightningModule):
    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Linear(4, 1)

    def predict_step(self, batch, batch_idx):
        return self.net(batch[0])


inputs = torch.randn(4, 4)
data = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(inputs), batch_size=4)
with warnings.catch_warnings():
    warnings.filterwarnings("ignore")
    (targets,) = L.Trainer(**options).predict(Teacher(), data)
student = nn.Linear(4, 1)


def mse(output: torch.Tensor) -> torch.Tensor:
    return nn.functional.mse_loss(output, targets)


print(where_grad_stops(student, inputs, loss_fn=mse))
"""
inference-tensor-saved: loss_fn: mse_loss raised RuntimeError: its argument 1 is an inference tensor (made under inference_mode); clone() it, or make it under no_grad (see pitfalls/#inference-tensor-backward)
"""
targets = targets.clone()  # the fix (or Trainer(inference_mode=False))
assert not where_grad_stops(student, inputs, loss_fn=mse)
