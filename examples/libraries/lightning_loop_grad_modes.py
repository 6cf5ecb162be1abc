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


class Probe(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Linear(4, 1)
        self.seen = {}  # loop -> (module training, grad mode, inference mode)

    def record(self, loop):
        state = (
            self.training,
            torch.is_grad_enabled(),
            torch.is_inference_mode_enabled(),
        )
        self.seen.setdefault(loop, state)

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


def every_loop(inference_mode: bool) -> dict[str, tuple[bool, bool, bool]]:
    """Run fit, validate, test and predict; return what each step hook saw."""
    torch.manual_seed(0)
    data = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.randn(4, 4))
    )
    trainer = L.Trainer(
        inference_mode=inference_mode,  # True is the default
        devices=1,  # one device, whatever Lightning's accelerator="auto" picks
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
    return model.seen


default, without = every_loop(inference_mode=True), every_loop(inference_mode=False)
print("loop             (training, grad, inference): inference_mode=True / False")
#> loop             (training, grad, inference): inference_mode=True / False
for loop in default:
    print(f"{loop:16} {default[loop]} / {without[loop]}")
    #> fit: training    (True, True, False) / (True, True, False)
    #> fit: validation  (False, False, False) / (False, False, False)
    #> validate         (False, False, True) / (False, False, False)
    #> test             (False, False, True) / (False, False, False)
    #> predict          (False, False, True) / (False, False, False)

assert default["fit: training"] == without["fit: training"] == (True, True, False)
# Validation inside fit: no_grad, whatever the flag says.
assert default["fit: validation"] == without["fit: validation"] == (False, False, False)
# validate, test and predict: inference_mode by default, no_grad with the flag off.
for loop in ("validate", "test", "predict"):
    assert default[loop] == (False, False, True)
    assert without[loop] == (False, False, False)
