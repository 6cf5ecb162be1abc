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
seen = {}  # loop -> (module training, grad mode, inference mode)


class Probe(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Linear(4, 1)

    def record(self, loop):
        state = (
            self.training,
            torch.is_grad_enabled(),
            torch.is_inference_mode_enabled(),
        )
        seen.setdefault(loop, state)

    def training_step(self, batch, batch_idx):
        self.record("fit: training")
        return self.net(batch[0]).sum()

    def validation_step(self, batch, batch_idx):
        self.record("fit: validation" if self.trainer.state.fn == "fit" else "validate")

    def test_step(self, batch, batch_idx):
        self.record("test")

    def predict_step(self, batch, batch_idx):
        self.record("predict")
        return batch[0]

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)


data = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(4, 4)))
trainer = L.Trainer(
    inference_mode=False,  # no_grad instead of inference_mode
    devices=1,
    max_epochs=1,
    limit_train_batches=1,
    limit_val_batches=1,
    limit_test_batches=1,
    limit_predict_batches=1,
    num_sanity_val_steps=0,
    logger=False,
    enable_checkpointing=False,
    enable_progress_bar=False,
    enable_model_summary=False,
)
model = Probe()
trainer.fit(model, data, data)
trainer.validate(model, data, verbose=False)
trainer.test(model, data, verbose=False)
trainer.predict(model, data)
for loop, state in seen.items():
    print(f"{loop:16} training, grad, inference: {state}")
    #> fit: training    training, grad, inference: (True, True, False)
    #> fit: validation  training, grad, inference: (False, False, False)
    #> validate         training, grad, inference: (False, False, False)
    #> test             training, grad, inference: (False, False, False)
    #> predict          training, grad, inference: (False, False, False)
assert seen["fit: training"] == (True, True, False)
assert all(
    seen[loop] == (False, False, False) for loop in seen if loop != "fit: training"
)
