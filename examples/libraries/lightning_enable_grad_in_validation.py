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
results = {}  # which loop -> what torch.autograd.grad gave


class InputGradients(L.LightningModule):
    """Validation needs d(output)/d(input), as in saliency maps or physics losses."""

    def __init__(self):
        super().__init__()
        self.net = nn.Linear(4, 1)

    def training_step(self, batch, batch_idx):
        return self.net(batch[0]).sum()

    def validation_step(self, batch, batch_idx):
        with torch.enable_grad():  # turns grad mode on; inference mode stays on
            x = batch[0].clone().requires_grad_()
            y = self.net(x).sum()
            try:
                (grad,) = torch.autograd.grad(y, x)
            except RuntimeError as error:
                result = str(error)
            else:
                result = f"gradient of shape {tuple(grad.shape)}"
        results.setdefault(self.trainer.state.fn.value, []).append(result)

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)


data = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(2, 4)))
options = dict(
    devices=1,
    max_epochs=1,
    limit_train_batches=1,
    limit_val_batches=1,
    num_sanity_val_steps=0,
    logger=False,
    enable_checkpointing=False,
    enable_progress_bar=False,
    enable_model_summary=False,
)
model = InputGradients()
trainer = L.Trainer(**options)
trainer.fit(model, data, data)  # validation inside fit: no_grad
trainer.validate(model, data, verbose=False)  # inference_mode
L.Trainer(inference_mode=False, **options).validate(model, data, verbose=False)

fit, validate = results["fit"][0], results["validate"]
print("fit's validation:", fit)
#> fit's validation: gradient of shape (1, 4)
print("validate():", validate[0])
#> validate(): element 0 of tensors does not require grad and does not have a grad_fn
print("validate() with inference_mode=False:", validate[1])
#> validate() with inference_mode=False: gradient of shape (1, 4)
assert fit == validate[1] == "gradient of shape (1, 4)"
assert validate[0].startswith("element 0 of tensors does not require grad")
