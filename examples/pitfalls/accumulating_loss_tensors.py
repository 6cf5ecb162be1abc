import torch
from torch import nn

torch.manual_seed(0)
model = nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)


def graph_nodes(tensor: torch.Tensor) -> int:
    seen, stack = set(), [tensor.grad_fn]
    while stack:
        node = stack.pop()
        if node is not None and node not in seen:
            seen.add(node)
            stack.extend(next_node for next_node, _ in node.next_functions)
    return len(seen)


def train(steps: int, keep_tensor: bool) -> torch.Tensor | float:
    total = 0.0
    for _ in range(steps):
        loss = model(torch.randn(8, 4)).pow(2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss if keep_tensor else loss.item()
    return total


# The symptom: summing loss tensors chains every step's graph together
assert graph_nodes(train(10, keep_tensor=True)) < graph_nodes(
    train(100, keep_tensor=True)
)
print("graph nodes kept alive after 100 steps:", graph_nodes(train(100, True)))
#> graph nodes kept alive after 100 steps: 502

# The fix: loss.item() (or loss.detach()) for logging
total = train(100, keep_tensor=False)
assert isinstance(total, float)
print("with loss.item():", type(total).__name__)
#> with loss.item(): float
