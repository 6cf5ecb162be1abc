import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(64, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 64), nn.ReLU()
)
x = torch.randn(32, 64)


def bytes_saved_for_backward(x: torch.Tensor = x) -> int:
    storages = {}

    def pack(t: torch.Tensor) -> torch.Tensor:
        storage = t.untyped_storage()
        storages[storage.data_ptr()] = storage.nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        model(x)
    return sum(storages.values())


train = bytes_saved_for_backward()
model.eval()
evaluated = bytes_saved_for_backward()
model.train()

model.requires_grad_(False)
frozen = bytes_saved_for_backward()
frozen_input_needs_grad = bytes_saved_for_backward(x.clone().requires_grad_())
model.requires_grad_(True)

with torch.no_grad():
    no_grad = bytes_saved_for_backward()

with torch.inference_mode():
    inference = bytes_saved_for_backward()

assert 0 < evaluated < train  # eval() keeps a graph, minus Dropout's mask and output
assert frozen == no_grad == inference == 0
assert frozen_input_needs_grad > 0  # a gradient must flow through: activations kept
print("eval saves less than train:", evaluated < train)
#> eval saves less than train: True
print("frozen, no_grad, inference_mode:", frozen, no_grad, inference)
#> frozen, no_grad, inference_mode: 0 0 0
print("frozen, input needs grad, saves:", frozen_input_needs_grad > 0)
#> frozen, input needs grad, saves: True
