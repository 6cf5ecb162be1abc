import contextlib
import io
import logging
import tempfile
import warnings

import lightning as L
import torch
from lightning.pytorch.tuner import Tuner
from torch import nn

logging.getLogger("lightning.pytorch").setLevel(
    logging.ERROR
)  # no "GPU available" lines
warnings.filterwarnings(
    "ignore", message=r".*isinstance\(treespec, LeafSpec\)"
)  # torch 2.13

warnings.filterwarnings(
    "ignore", message=r"Found 1 module\(s\) in eval mode"
)  # the frozen BatchNorm, on purpose (see lightning_fit_keeps_eval.py)

torch.manual_seed(0)
inputs = torch.randn(16, 4)


class FrozenNorm(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.batch_size, self.lr = 1, 0.1  # the attributes the tuners write
        self.norm = nn.BatchNorm1d(4)  # pretrained: frozen and in eval mode on purpose
        self.norm.requires_grad_(False).eval()
        self.head = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5), nn.Linear(4, 1))
        self.steps = set()  # (BatchNorm training, head training, grad mode) per step

    def train_dataloader(self):
        dataset = torch.utils.data.TensorDataset(inputs)
        return torch.utils.data.DataLoader(dataset, batch_size=self.batch_size)

    def training_step(self, batch, batch_idx):
        self.steps.add(
            (self.norm.training, self.head.training, torch.is_grad_enabled())
        )
        return self.head(self.norm(batch[0])).pow(2).mean()

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.lr)


def state(model):
    """Weights and buffers, requires_grad and the training flag of every module."""
    return (
        {name: value.clone() for name, value in model.state_dict().items()},
        {name: p.requires_grad for name, p in model.named_parameters()},
        {name: m.training for name, m in model.named_modules()},
    )


def same(a, b):
    weights_a, flags_a, modes_a = a
    weights_b, flags_b, modes_b = b
    equal = all(torch.equal(weights_a[k], weights_b[k]) for k in weights_a)
    return equal and flags_a == flags_b and modes_a == modes_b


results = {}
for tuner in ("scale_batch_size", "lr_find"):
    model = FrozenNorm()
    before = state(model)
    with tempfile.TemporaryDirectory() as folder:
        trainer = L.Trainer(
            devices=1,
            max_epochs=1,
            default_root_dir=folder,  # the tuners save and restore a checkpoint here
            logger=False,
            enable_checkpointing=False,
            enable_progress_bar=False,
            enable_model_summary=False,
        )
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            if tuner == "scale_batch_size":
                found = Tuner(trainer).scale_batch_size(model, max_trials=3)
                written = {"batch_size": (found, model.batch_size)}
            else:
                finder = Tuner(trainer).lr_find(
                    model, num_training=16, early_stop_threshold=None
                )  # batch size 1: no early stop on a noisy loss, all 16 points
                written = {"lr": (finder.suggestion(), model.lr)}
                # its own progress bar, even with enable_progress_bar=False
                assert "Finding best initial lr" in stderr.getvalue()
    results[tuner] = (model.steps, same(state(model), before), written)
    print(f"{tuner}: steps {model.steps}, all restored: {results[tuner][1]}")
    #> scale_batch_size: steps {(False, True, True)}, all restored: True
    #> lr_find: steps {(False, True, True)}, all restored: True

for steps, restored, _ in results.values():
    # The trial steps ran in the modes you set: BatchNorm in eval, the head in training.
    assert steps == {(False, True, True)}
    # Afterwards: the weights and statistics from before, requires_grad, every mode.
    assert restored
# What changes: each tuner writes what it found to the model's attribute,
# scale_batch_size to batch_size, lr_find (update_attr=True by default) to lr.
for tuner, (_, _, written) in results.items():
    ((name, (found, attribute)),) = written.items()
    print(f"{tuner} wrote what it found to model.{name}: {attribute == found}")
    #> scale_batch_size wrote what it found to model.batch_size: True
    #> lr_find wrote what it found to model.lr: True
    assert found is not None and attribute == found
    assert attribute != {"batch_size": 1, "lr": 0.1}[name]  # the value before
print("batch size found:", results["scale_batch_size"][2]["batch_size"][0])
#> batch size found: 8
