import threading

import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5))
seen_in_thread = {}


def worker() -> None:
    seen_in_thread["grad_enabled"] = torch.is_grad_enabled()
    seen_in_thread["inference_mode"] = torch.is_inference_mode_enabled()
    seen_in_thread["training"] = model.training
    seen_in_thread["requires_grad"] = model[0].weight.requires_grad


def run_worker() -> None:
    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()


with torch.no_grad():  # grad mode off, in this thread only
    assert not torch.is_grad_enabled()
    run_worker()
assert seen_in_thread["grad_enabled"]  # the other thread still records

model.eval()
model.requires_grad_(False)
with torch.inference_mode():  # also turns grad mode off, in this thread only
    run_worker()

print(", ".join(f"{name}={value}" for name, value in seen_in_thread.items()))
#> grad_enabled=True, inference_mode=False, training=False, requires_grad=False
assert seen_in_thread["grad_enabled"] and not seen_in_thread["inference_mode"]
assert not seen_in_thread["training"] and not seen_in_thread["requires_grad"]

model[1].train()  # train()/eval() reach a module and its children, never its parents
assert model[1].training and not model.training and not model[0].training
