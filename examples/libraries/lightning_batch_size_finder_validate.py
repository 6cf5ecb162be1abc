import logging
import math
import tempfile
import warnings

import lightning as L
import torch
from lightning.pytorch.callbacks import BatchSizeFinder
from lightning.pytorch.tuner import Tuner
from torch import nn

logging.getLogger("lightning.pytorch").setLevel(
    logging.ERROR
)  # no "GPU available" lines
warnings.filterwarnings(
    "ignore", message=r".*isinstance\(treespec, LeafSpec\)"
)  # torch 2.13

torch.manual_seed(0)
inputs = torch.randn(16, 4)


class Scored(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.batch_size = 2  # the attribute the finder scales
        self.net = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5), nn.Linear(4, 1))
        self.dropout_on = set()  # Dropout's training flag in each validation_step

    def val_dataloader(self):
        dataset = torch.utils.data.TensorDataset(inputs)
        return torch.utils.data.DataLoader(dataset, batch_size=self.batch_size)

    def validation_step(self, batch, batch_idx):
        self.dropout_on.add(self.net[1].training)
        self.log("score", self.net(batch[0]).mean())  # averaged over the samples


def validate(finder):
    """One validate() run of the same weights; the score and the modes it leaves."""
    torch.manual_seed(0)
    model = Scored()  # constructed: training mode
    with tempfile.TemporaryDirectory() as folder:
        trainer = L.Trainer(
            devices=1,
            callbacks=[BatchSizeFinder(max_trials=2)] if finder == "callback" else [],
            default_root_dir=folder,  # the finder saves and restores a checkpoint here
            logger=False,
            enable_checkpointing=False,
            enable_progress_bar=False,
            enable_model_summary=False,
        )
        if finder == "Tuner":
            Tuner(trainer).scale_batch_size(model, method="validate", max_trials=2)
            score = None  # the Tuner only searches; it reports no metrics
        else:
            (metrics,) = trainer.validate(model, verbose=False)
            score = metrics["score"]
    after = {m.training for m in model.modules()}
    return score, model.dropout_on, model.batch_size, after


results = {finder: validate(finder) for finder in ("none", "callback", "Tuner")}
print("finder    same score  Dropout on in steps  batch size  training after")
#> finder    same score  Dropout on in steps  batch size  training after
for finder, (score, dropout_on, batch_size, after) in results.items():
    same = (
        None if score is None else math.isclose(score, results["none"][0], rel_tol=1e-5)
    )
    print(f"{finder:9} {same!s:11} {dropout_on!s:20} {batch_size:<11} {after}")
    #> none      True        {False}              2           {True}
    #> callback  True        {False}              4           {False}
    #> Tuner     None        {False}              4           {False}

# Every validation step, the finder's trials included, ran with Dropout off:
assert all(result[1] == {False} for result in results.values())
# so the score is the one without the finder (#18813's random scores do not come).
assert math.isclose(results["callback"][0], results["none"][0], rel_tol=1e-5)
# But after the finder the whole model is left in eval mode, not restored to training.
assert results["none"][3] == {True}
assert results["callback"][3] == results["Tuner"][3] == {False}
# The finder wrote the batch size it settled on to model.batch_size (the column).
assert results["none"][2] == 2
assert results["callback"][2] == results["Tuner"][2] == 4
