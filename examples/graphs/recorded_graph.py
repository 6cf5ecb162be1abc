import contextlib

import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(4, 8),
    nn.ReLU(),
    nn.Dropout(0.5),
    nn.Linear(8, 8),
    nn.ReLU(),
    nn.Linear(8, 2),
)
x = torch.randn(3, 4)  # the input needs no gradient
names = {parameter: name for name, parameter in model.named_parameters()}
SITUATIONS = [
    "train",
    "eval",
    "all frozen",
    "frozen prefix",
    "frozen middle",
    "no_grad",
    "inference_mode",
]


def walk(node) -> list:
    """Every node reachable from ``node`` through ``next_functions``, depth first."""
    found = []

    def visit(node) -> None:
        if node is not None and all(node is not seen for seen in found):
            found.append(node)
            for child, _ in node.next_functions:
                visit(child)

    visit(node)
    return found


def saved(node) -> list[str]:
    """The names of the tensors this node keeps for backward (its ``_saved_*``)."""
    return [
        name.removeprefix("_saved_")
        for name in sorted(dir(node))
        if name.startswith("_saved_") and isinstance(getattr(node, name), torch.Tensor)
    ]


def record(situation: str) -> dict:
    model.train(situation != "eval")
    model.requires_grad_(True)
    frozen = {"all frozen": model, "frozen prefix": model[0], "frozen middle": model[3]}
    if situation in frozen:
        frozen[situation].requires_grad_(False)
    grad_mode = {"no_grad": torch.no_grad(), "inference_mode": torch.inference_mode()}
    layer_of = {}  # node -> index of the first layer whose output it made

    def note(layer, inputs, out) -> None:
        layer_of.setdefault(out.grad_fn, list(model).index(layer))

    hooks = [layer.register_forward_hook(note) for layer in model]
    packed = []  # every tensor autograd saves, as saved_tensors_hooks sees it

    def pack(tensor: torch.Tensor) -> torch.Tensor:
        packed.append(tensor.shape)
        return tensor

    hooks_on = torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor)
    with hooks_on, grad_mode.get(situation, contextlib.nullcontext()):
        out = model(x)
    for hook in hooks:
        hook.remove()
    order = walk(out.grad_fn)

    def index(node) -> int | None:
        return next((i for i, seen in enumerate(order) if seen is node), None)

    nodes = [
        {
            "name": type(node).__name__,
            "layer": layer_of.get(node),
            "saved": saved(node),
            "next": [index(child) for child, _ in node.next_functions],
            "parameter": names.get(getattr(node, "variable", None)),
        }
        for node in order
    ]
    assert len(packed) == sum(len(n["saved"]) for n in nodes)  # two ways, one count
    try:
        out.sum().backward()
    except RuntimeError as caught:
        error = str(caught)
    else:
        error = None  # backward ran: this situation recorded a graph
    grads = [name for name, p in model.named_parameters() if p.grad is not None]
    model.zero_grad(set_to_none=True)
    return {
        "nodes": nodes,
        "grads": grads,
        "error": error,
        "inference": out.is_inference(),
    }


FACTS = {situation: record(situation) for situation in SITUATIONS}


def layers(situation: str) -> dict[int, dict]:
    """The node each layer recorded (a layer that recorded nothing is missing)."""
    nodes = FACTS[situation]["nodes"]
    return {n["layer"]: n for n in nodes if n["layer"] is not None}


for situation, facts in FACTS.items():
    leaves = [n["parameter"] for n in facts["nodes"] if n["name"] == "AccumulateGrad"]
    assert sorted(leaves) == sorted(facts["grads"])  # AccumulateGrad node <=> .grad
    saved_count = sum(len(n["saved"]) for n in facts["nodes"])
    print(
        f"{situation}: layers {sorted(layers(situation))}, saved {saved_count},",
        f".grad on {len(facts['grads'])} of 6",
    )
    #> train: layers [0, 1, 2, 3, 4, 5], saved 8, .grad on 6 of 6
    #> eval: layers [0, 1, 3, 4, 5], saved 7, .grad on 6 of 6
    #> all frozen: layers [], saved 0, .grad on 0 of 6
    #> frozen prefix: layers [3, 4, 5], saved 4, .grad on 4 of 6
    #> frozen middle: layers [0, 1, 2, 3, 4, 5], saved 7, .grad on 4 of 6
    #> no_grad: layers [], saved 0, .grad on 0 of 6
    #> inference_mode: layers [], saved 0, .grad on 0 of 6

assert [layers("train")[i]["name"] for i in (0, 1, 3, 4, 5)] == [
    "AddmmBackward0",
    "ReluBackward0",
    "AddmmBackward0",
    "ReluBackward0",
    "AddmmBackward0",
]
assert 2 in layers("train") and 2 not in layers("eval")  # eval(): Dropout is identity
assert layers("frozen prefix").keys() == {3, 4, 5}  # nothing before: nothing recorded
assert layers("frozen prefix")[3]["saved"] == ["mat1"]  # its input, for its weight grad
assert [type(layer).__name__ for layer in model[:4]] == [
    "Linear",
    "ReLU",
    "Dropout",
    "Linear",
]
# layer 3 (counting from 0), the second Linear, is the first with trainable parameters
# once model[0] is frozen: ReLU and Dropout have none
assert [len(list(layer.parameters())) for layer in model[1:3]] == [0, 0]
assert layers("frozen middle").keys() == layers("train").keys()  # all recorded
assert layers("frozen middle")[3]["saved"] == ["mat2"]  # the weight: grad passes on
assert layers("train")[3]["saved"] == ["mat1", "mat2"]
assert "0.weight" in FACTS["frozen middle"]["grads"]  # the gradient went through
for situation in ["all frozen", "no_grad", "inference_mode"]:
    assert FACTS[situation]["nodes"] == [] and FACTS[situation]["grads"] == []
    assert "does not require grad" in FACTS[situation]["error"]
assert FACTS["inference_mode"]["inference"] and not FACTS["no_grad"]["inference"]
print(FACTS["no_grad"]["error"])
#> element 0 of tensors does not require grad and does not have a grad_fn

# What the saved names hold, in train mode with every parameter trainable:
model.train().requires_grad_(True)
hidden = model[:4](x)
relu = model[4](hidden)
linear = model[5](relu).grad_fn
assert torch.equal(relu.grad_fn._saved_result, relu)  # result: ReLU's output
assert torch.equal(linear._saved_mat1, relu)  # mat1: the Linear's input
mat2, weight = linear._saved_mat2, model[5].weight
assert torch.equal(mat2, weight.T)  # mat2: its weight, transposed, and not a copy:
assert mat2.untyped_storage().data_ptr() == weight.untyped_storage().data_ptr()
