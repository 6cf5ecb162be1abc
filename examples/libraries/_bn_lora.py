"""A tiny model with BatchNorm between two Linear layers, trained with LoRA on the Linears."""

import torch
from peft import LoraConfig, get_peft_model
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.bn = nn.BatchNorm1d(8)
        self.fc2 = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc2(torch.relu(self.bn(self.fc1(x))))


def train_lora(**options):
    """A new Net (seeded) with LoRA on fc1 and fc2, after 3 steps in training mode."""
    torch.manual_seed(0)
    lora = LoraConfig(r=2, target_modules=["fc1", "fc2"], **options)
    model = get_peft_model(Net(), lora)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.SGD(trainable, lr=0.1)
    model.train()
    for _ in range(3):
        x = torch.randn(16, 4) * 3 + 1  # not mean 0, variance 1: the statistics move
        model(x).pow(2).mean().backward()
        optimizer.step()
        optimizer.zero_grad()
    return model


def bn_state(model) -> dict[str, torch.Tensor]:
    """The BatchNorm entries of a state dict (parameters and buffers), by short name."""
    return {
        name.removeprefix("base_model.model."): value.clone()
        for name, value in model.state_dict().items()
        if ".bn." in f".{name}"
    }
