import torch

torch.manual_seed(0)


def fails() -> None:
    raise ValueError("boom")


modes = (torch.no_grad, lambda: torch.set_grad_enabled(False), torch.inference_mode)
for mode in modes:
    try:
        with mode():
            fails()
    except ValueError:
        pass
    assert torch.is_grad_enabled() and not torch.is_inference_mode_enabled()

with torch.no_grad():
    try:
        with torch.enable_grad():
            fails()
    except ValueError:
        pass
    assert not torch.is_grad_enabled()  # back to the outer no_grad, not to True

print("restored after an exception:", torch.is_grad_enabled())
#> restored after an exception: True
