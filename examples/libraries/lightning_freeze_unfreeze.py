import lightning as L
import torch
from torch import nn

torch.manual_seed(0)


class FineTuned(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4))
        self.head = nn.Sequential(nn.Dropout(0.5), nn.Linear(4, 1))
        self.backbone.requires_grad_(False)  # pretrained: frozen on purpose
        self.backbone[1].eval()  # and its BatchNorm keeps its statistics

    def forward(self, x):
        return self.head(self.backbone(x))


def summary(model):
    """Trainable parts, and the training flags of the BatchNorm and the Dropout."""
    trainable = sorted(
        {name.split(".")[0] for name, p in model.named_parameters() if p.requires_grad}
    )
    return trainable, model.backbone[1].training, model.head[0].training


model = FineTuned()
states = {"__init__": summary(model)}
flags = {name: p.requires_grad for name, p in model.named_parameters()}
modes = {name: m.training for name, m in model.named_modules()}

model.freeze()  # for inference
states["freeze()"] = summary(model)
x = torch.randn(2, 4, requires_grad=True)
recorded = model(x).grad_fn is not None  # grad mode is not switched off

model.unfreeze()  # back to training
states["unfreeze()"] = summary(model)

model.freeze()  # the other way back: restore what you recorded before freeze()
for name, p in model.named_parameters():
    p.requires_grad_(flags[name])
for name, m in model.named_modules():
    m.training = modes[name]  # one module at a time: train() would recurse
states["restored"] = summary(model)

print("after       (trainable, BatchNorm training, Dropout training)")
#> after       (trainable, BatchNorm training, Dropout training)
for step, state in states.items():
    print(f"{step:11} {state}")
    #> __init__    (['head'], False, True)
    #> freeze()    ([], False, False)
    #> unfreeze()  (['backbone', 'head'], True, True)
    #> restored    (['head'], False, True)

# freeze(): requires_grad=False on every parameter, then eval() on the whole model.
assert states["freeze()"] == ([], False, False)
# It is not no_grad: an input that requires grad still records a graph.
assert recorded
# unfreeze(): requires_grad=True on every parameter, then train() on the whole model,
# which undoes the frozen backbone and the BatchNorm kept in eval mode.
assert states["unfreeze()"] == (["backbone", "head"], True, True)
assert states["restored"] == states["__init__"]
