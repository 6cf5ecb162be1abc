from concurrent.futures import ThreadPoolExecutor

import torch
from torch import nn

torch.manual_seed(0)
model = nn.Linear(4, 2).eval()
batches = [torch.randn(8, 4) for _ in range(4)]

# The symptom: no_grad in the main thread does not reach the worker threads
with torch.no_grad(), ThreadPoolExecutor(max_workers=2) as pool:
    outputs = list(pool.map(model, batches))
assert all(out.grad_fn is not None for out in outputs)  # graphs recorded
print("worker outputs have a graph:", outputs[0].grad_fn is not None)
#> worker outputs have a graph: True

# inference_mode does not reach them either: ordinary tensors, with a graph
with torch.inference_mode(), ThreadPoolExecutor(max_workers=2) as pool:
    outputs = list(pool.map(model, batches))
assert not any(out.is_inference() for out in outputs)
assert all(out.grad_fn is not None for out in outputs)
print("under inference_mode, inference tensors:", outputs[0].is_inference())
#> under inference_mode, inference tensors: False


# The fix: enter the mode in the function the worker runs
@torch.no_grad()
def predict(x: torch.Tensor) -> torch.Tensor:
    return model(x)


with ThreadPoolExecutor(max_workers=2) as pool:
    outputs = list(pool.map(predict, batches))
assert all(out.grad_fn is None for out in outputs)
print("with @torch.no_grad() on the worker function:", outputs[0].grad_fn)
#> with @torch.no_grad() on the worker function: None
