import torch
from torch import nn

torch.manual_seed(0)
x = torch.randn(32, 64)


def activation_bytes_saved(model: nn.Module, inputs: torch.Tensor = x) -> int:
    """Bytes autograd keeps for backward, each storage once, parameters left out."""
    parameters = {p.untyped_storage().data_ptr() for p in model.parameters()}
    storages = {}

    def pack(t: torch.Tensor) -> torch.Tensor:
        storage = t.untyped_storage()
        if storage.data_ptr() not in parameters:  # a parameter costs nothing extra
            storages[storage.data_ptr()] = storage.nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        model(inputs)
    return sum(storages.values())


def ratios(model: nn.Sequential) -> tuple[float, float]:
    everything = activation_bytes_saved(model)
    model[:2].requires_grad_(False)
    frozen_prefix = activation_bytes_saved(model)
    # Nothing inside the frozen part is kept (the same bytes as the trainable part
    # alone), but its first layer keeps its input: the frozen part's output
    features = model[:2](x)
    assert frozen_prefix == activation_bytes_saved(model[2:], features)
    rest = activation_bytes_saved(model[3:], model[2](features))
    assert frozen_prefix == features.untyped_storage().nbytes() + rest
    model.requires_grad_(True)
    model[2:].requires_grad_(False)
    frozen_suffix = activation_bytes_saved(model)
    model.requires_grad_(False)
    assert activation_bytes_saved(model) == 0  # all frozen, input needs no grad
    return frozen_prefix / everything, frozen_suffix / everything


# 4 blocks of Linear + ReLU: each Linear's input is the ReLU output kept anyway.
prefix, suffix = ratios(
    nn.Sequential(*(nn.Sequential(nn.Linear(64, 64), nn.ReLU()) for _ in range(4)))
)
print(f"Linear+ReLU: frozen prefix {prefix:.2f}, frozen suffix {suffix:.2f}")
#> Linear+ReLU: frozen prefix 0.60, frozen suffix 1.00
assert 0 < prefix < 1 and suffix == 1  # nothing recorded before the first trainable

# 4 plain Linear layers: a frozen Linear no longer keeps its input (only its
# weight gradient needed it); the gradient passes through using the weight.
prefix, suffix = ratios(nn.Sequential(*(nn.Linear(64, 64) for _ in range(4))))
print(f"Linear only: frozen prefix {prefix:.2f}, frozen suffix {suffix:.2f}")
#> Linear only: frozen prefix 0.50, frozen suffix 0.50
assert 0 < suffix < 1
