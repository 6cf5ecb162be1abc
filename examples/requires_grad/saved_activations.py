import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(*(nn.Sequential(nn.Linear(64, 64), nn.ReLU()) for _ in range(4)))
x = torch.randn(32, 64)


def activation_bytes_saved() -> int:
    """Bytes autograd keeps for backward, each storage once, parameters left out."""
    parameters = {p.untyped_storage().data_ptr() for p in model.parameters()}
    storages = {}

    def pack(t: torch.Tensor) -> torch.Tensor:
        storage = t.untyped_storage()
        if storage.data_ptr() not in parameters:  # a parameter costs nothing extra
            storages[storage.data_ptr()] = storage.nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        model(x)
    return sum(storages.values())


everything = activation_bytes_saved()
model[:2].requires_grad_(False)
frozen_prefix = activation_bytes_saved()
model.requires_grad_(True)
model[2:].requires_grad_(False)
frozen_suffix = activation_bytes_saved()
model.requires_grad_(False)
all_frozen = activation_bytes_saved()

# Nothing is recorded before the first trainable layer:
assert 0 < frozen_prefix < everything
assert frozen_suffix == everything  # the gradient must pass through the suffix
assert all_frozen == 0
print("frozen prefix / everything:", round(frozen_prefix / everything, 2))
#> frozen prefix / everything: 0.6
print("frozen suffix / everything:", round(frozen_suffix / everything, 2))
#> frozen suffix / everything: 1.0
