import threading

import torch

torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
seen = {}


def worker() -> None:
    seen["plain"] = (w * 2).requires_grad


def worker_in_callers_mode(grad_enabled: bool) -> None:
    with torch.set_grad_enabled(grad_enabled):  # enter the mode in the thread
        seen["carried"] = (w * 2).requires_grad


def run(target, *args) -> None:
    thread = threading.Thread(target=target, args=args)
    thread.start()
    thread.join()


with torch.no_grad():
    run(worker)
    run(worker_in_callers_mode, torch.is_grad_enabled())

print("new thread records:", seen["plain"])
#> new thread records: True
print("after carrying the mode:", seen["carried"])
#> after carrying the mode: False
assert seen == {"plain": True, "carried": False}
