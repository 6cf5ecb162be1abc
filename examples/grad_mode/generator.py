import torch

torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)


@torch.no_grad()
def batches(n: int):
    for _ in range(n):
        yield w * 2, torch.is_grad_enabled()  # runs in no_grad


seen_by_caller = []
for y, inside in batches(2):
    assert not y.requires_grad and not inside
    seen_by_caller.append(torch.is_grad_enabled())  # the caller's own mode

print("inside the generator:", inside)
#> inside the generator: False
print("caller between items:", " ".join(str(s) for s in seen_by_caller))
#> caller between items: True True
assert seen_by_caller == [True, True]
