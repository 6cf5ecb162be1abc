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


class GAN(L.LightningModule):
    """Manual optimization with two optimizers, one per network."""

    def __init__(self, freeze_in_step):
        super().__init__()
        self.automatic_optimization = False
        self.generator = nn.Sequential(nn.Linear(2, 4), nn.Linear(4, 4))
        self.discriminator = nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 1))
        self.freeze_in_step = freeze_in_step
        self.seen = []  # (moment, requires_grad of G[0], G[1], D[0], D[1])

    def record(self, moment):
        layers = (*self.generator, *self.discriminator)
        self.seen.append((moment, *(layer.weight.requires_grad for layer in layers)))

    def training_step(self, batch, batch_idx):
        g_opt, d_opt = self.optimizers()
        self.toggle_optimizer(g_opt)
        self.record("G toggled")
        if self.freeze_in_step:  # frozen while the generator's optimizer is toggled
            self.generator[1].requires_grad_(False)  # a parameter of g_opt
            self.discriminator[0].requires_grad_(False)  # a parameter of d_opt
        loss = self.discriminator(self.generator(batch[0])).mean()
        g_opt.zero_grad()
        self.manual_backward(loss)
        g_opt.step()
        self.untoggle_optimizer(g_opt)
        self.record("G untoggled")

        with self.toggled_optimizer(d_opt):  # toggle_optimizer, then untoggle_optimizer
            self.record("D toggled")
            loss = self.discriminator(self.generator(batch[0]).detach()).mean()
            d_opt.zero_grad()
            self.manual_backward(loss)
            d_opt.step()
        self.record("D untoggled")

    def configure_optimizers(self):
        return (
            torch.optim.SGD(self.generator.parameters(), lr=0.1),
            torch.optim.SGD(self.discriminator.parameters(), lr=0.1),
        )


def fit(model):
    torch.manual_seed(0)
    data = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.randn(2, 2)), batch_size=2
    )
    L.Trainer(
        devices=1,
        max_epochs=1,
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
    ).fit(model, data)
    return model.seen


before_fit = GAN(freeze_in_step=False)
before_fit.generator[0].requires_grad_(False)  # frozen on purpose before fit
in_step = GAN(freeze_in_step=True)
runs = {
    "frozen G[0] before fit": fit(before_fit),
    "froze G[1], D[0] in step": fit(in_step),
}
lines = ["requires_grad of  (G[0], G[1], D[0], D[1])"]
for name, seen in runs.items():
    lines.append(f"{name}:")
    lines += [f"  {moment:15} {tuple(flags)}" for moment, *flags in seen]
for line in lines:
    print(line)
    #> requires_grad of  (G[0], G[1], D[0], D[1])
    #> frozen G[0] before fit:
    #>   G toggled       (False, True, False, False)
    #>   G untoggled     (False, True, True, True)
    #>   D toggled       (False, False, True, True)
    #>   D untoggled     (False, True, True, True)
    #> froze G[1], D[0] in step:
    #>   G toggled       (True, True, False, False)
    #>   G untoggled     (True, False, True, True)
    #>   D toggled       (False, False, True, True)
    #>   D untoggled     (True, False, True, True)

# Before fit: toggle/untoggle record each flag and put it back; G[0] stays frozen.
assert [flags for _, *flags in runs["frozen G[0] before fit"]] == [
    [False, True, False, False],  # G toggled: the other optimizer's parameters off
    [False, True, True, True],  # G untoggled
    [False, False, True, True],  # D toggled: inside toggled_optimizer, G off
    [False, True, True, True],  # D untoggled: after it, G[1] back, G[0] still False
]
# In the step: G[1] (toggled optimizer) stays frozen, D[0] (the other one) is set back.
assert runs["froze G[1], D[0] in step"][1][1:] == (True, False, True, True)
assert not in_step.generator[1].weight.requires_grad  # after fit: still frozen
assert in_step.discriminator[0].weight.requires_grad  # after fit: trainable again
