import warnings

import torch
from torch import nn
from torch.utils.checkpoint import checkpoint

WARNING = "None of the inputs have requires_grad=True"


class LoRALinear(nn.Module):  # a weight plus a low-rank adapter, as LoRA adds them
    def __init__(self) -> None:
        super().__init__()
        self.base = nn.Linear(8, 8)
        self.lora_a = nn.Linear(8, 2, bias=False)
        self.lora_b = nn.Linear(2, 8, bias=False)

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return self.base(h) + self.lora_b(self.lora_a(h))


class Model(nn.Module):  # embedding, three checkpointed layers, a head
    def __init__(self, use_reentrant: bool) -> None:
        super().__init__()
        self.use_reentrant = use_reentrant
        self.embed = nn.Embedding(10, 8)
        self.layers = nn.ModuleList(LoRALinear() for _ in range(3))
        self.head = nn.Linear(8, 1)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        h = self.embed(ids)
        for layer in self.layers:
            h = checkpoint(layer, h, use_reentrant=self.use_reentrant)
        return self.head(h).sum()


def without_gradient(model: nn.Module) -> list[str]:
    """The trainable parameters left without a gradient."""
    return [
        n for n, p in model.named_parameters() if p.requires_grad and p.grad is None
    ]


def run(case: str, use_reentrant: bool) -> tuple[list[str], list[str]]:
    """The warnings of one forward (and backward), and the trainable parameters
    left without a gradient."""
    model = Model(use_reentrant)
    for name, p in model.named_parameters():  # freeze all but the case's parameters
        p.requires_grad_(any(part in name for part in CASES[case]))
    validation = case == "validation under no_grad"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with torch.set_grad_enabled(not validation):
            loss = model(ids)
        if not validation:
            loss.backward()
    return [str(w.message) for w in caught if WARNING in str(w.message)], (
        [] if validation else without_gradient(model)
    )


CASES = {  # the parameters that train (a name contains one of these)
    "full fine-tuning": ("",),
    "frozen blocks, trainable head": ("head",),
    "validation under no_grad": ("",),  # every parameter trainable, no backward
    "LoRA behind a frozen embedding": ("lora", "head"),
    "top layers behind frozen ones": ("layers.1", "layers.2", "head"),
}
torch.manual_seed(0)
ids = torch.randint(0, 10, (4, 5))
messages, _ = run("frozen blocks, trainable head", use_reentrant=True)
assert messages, "the warning did not come"
print(messages[0])
#> None of the inputs have requires_grad=True. Gradients will be None

for case in CASES:
    warned, lost = run(case, use_reentrant=True)
    print(f"{case}: warns {bool(warned)}, no gradient: {len(lost)}")
    #> full fine-tuning: warns False, no gradient: 0
    #> frozen blocks, trainable head: warns True, no gradient: 0
    #> validation under no_grad: warns True, no gradient: 0
    #> LoRA behind a frozen embedding: warns True, no gradient: 6
    #> top layers behind frozen ones: warns True, no gradient: 8
    if case == "full fine-tuning":  # the embedding's output requires grad
        assert not warned and not lost
    elif case in ("frozen blocks, trainable head", "validation under no_grad"):
        assert warned and not lost  # harmless: nothing that should train is lost
    else:  # silently lost: all 6 adapter weights, or all 8 parameters of layers 1-2
        assert warned and len(lost) == (6 if case.startswith("LoRA") else 8)
        assert all(n.startswith("layers.") for n in lost)  # the head still trains
    assert run(case, use_reentrant=False) == ([], [])  # no warning, nothing lost
print("use_reentrant=False: no warning and no lost gradient in every case")
#> use_reentrant=False: no warning and no lost gradient in every case
