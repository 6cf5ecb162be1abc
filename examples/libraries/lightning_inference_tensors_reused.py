import logging
import textwrap
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


class Teacher(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Linear(4, 1)

    def predict_step(self, batch, batch_idx):
        return self.net(batch[0])


inputs = torch.randn(4, 4)
data = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(inputs), batch_size=4)
options = dict(
    devices=1, logger=False, enable_progress_bar=False, enable_model_summary=False
)
student = nn.Linear(4, 1)
errors = {}
for inference_mode in (True, False):
    teacher = Teacher()
    trainer = L.Trainer(inference_mode=inference_mode, **options)
    (targets,) = trainer.predict(teacher, data)
    print(f"inference_mode={inference_mode}: inference tensor:", targets.is_inference())
    #> inference_mode=True: inference tensor: True
    #> inference_mode=False: inference tensor: False
    try:  # pseudo-labels used in training: mse_loss saves the target for backward
        nn.functional.mse_loss(student(inputs), targets).backward()
    except RuntimeError as error:
        errors[inference_mode] = str(error)
        nn.functional.mse_loss(student(inputs), targets.clone()).backward()  # the fix
    else:
        errors[inference_mode] = None  # trained on the targets as they are

# only the predictions made under inference_mode fail
assert [mode for mode, error in errors.items() if error] == [True]
assert errors[True].startswith("Inference tensors cannot be saved for backward")
print(textwrap.fill(errors[True], width=80))
"""
Inference tensors cannot be saved for backward. Please do not use Tensors
created in inference mode in computation tracked by autograd. To work around
this, you can make a clone to get a normal tensor and use it in autograd, or use
`torch.no_grad()` instead of `torch.inference_mode()`.
"""
assert student.weight.grad is not None
