import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(64, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 64), nn.ReLU()
)
x = torch.randn(32, 64)
relus = [model[1], model[4]]


def saved_for_backward(x: torch.Tensor = x) -> tuple[int, int]:
    """Bytes kept for backward (each storage once, parameters left out: they cost
    nothing extra), and how many of those storages are the ReLUs' outputs."""
    parameters = {p.untyped_storage().data_ptr() for p in model.parameters()}
    storages, relu_outputs = {}, set()

    def pack(t: torch.Tensor) -> torch.Tensor:
        storage = t.untyped_storage()
        if storage.data_ptr() not in parameters:
            storages[storage.data_ptr()] = storage.nbytes()
        return t

    def note_output(layer, inputs, out) -> None:
        relu_outputs.add(out.untyped_storage().data_ptr())

    hooks = [relu.register_forward_hook(note_output) for relu in relus]
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        model(x)
    for hook in hooks:
        hook.remove()
    return sum(storages.values()), len(relu_outputs & storages.keys())


train, _ = saved_for_backward()
model.eval()
evaluated, _ = saved_for_backward()
model.train()

model.requires_grad_(False)
frozen, _ = saved_for_backward()
# frozen, but the input needs grad: a gradient must flow through every layer
frozen_input_needs_grad, relu_outputs_kept = saved_for_backward(
    x.clone().requires_grad_()
)
model[2].eval()  # the same without Dropout's mask
frozen_no_dropout, _ = saved_for_backward(x.clone().requires_grad_())
model.train()
model.requires_grad_(True)

with torch.no_grad():
    no_grad, _ = saved_for_backward()

with torch.inference_mode():
    inference, _ = saved_for_backward()

assert 0 < evaluated < train  # eval() keeps a graph, minus Dropout's mask and output
assert frozen == no_grad == inference == 0
assert relu_outputs_kept == 2  # both ReLUs' outputs are kept...
assert frozen_no_dropout < frozen_input_needs_grad  # ...and Dropout's mask
print("eval saves less than train:", evaluated < train)
#> eval saves less than train: True
print("frozen, no_grad, inference_mode:", frozen, no_grad, inference)
#> frozen, no_grad, inference_mode: 0 0 0
print(
    "frozen, input needs grad: ReLU outputs kept:",
    relu_outputs_kept,
    "| Dropout's mask kept:",
    frozen_no_dropout < frozen_input_needs_grad,
)
#> frozen, input needs grad: ReLU outputs kept: 2 | Dropout's mask kept: True
