import torch

torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)


@torch.no_grad()
def with_parentheses(x: torch.Tensor) -> torch.Tensor:
    return x * 2


@torch.no_grad  # the bare form works in torch 2.13.0
def without_parentheses(x: torch.Tensor) -> torch.Tensor:
    return x * 2


@torch.enable_grad()
def always_recorded(x: torch.Tensor) -> torch.Tensor:
    return x * 2


@torch.set_grad_enabled(False)  # decorating does not change the mode here
def never_recorded(x: torch.Tensor) -> torch.Tensor:
    return x * 2


@torch.inference_mode
def inference(x: torch.Tensor) -> torch.Tensor:
    return x * 2


assert torch.is_grad_enabled()
assert inference(w).is_inference() and not torch.is_inference_mode_enabled()
assert torch.inference_mode()(lambda x: x * 2)(w).is_inference()
assert not with_parentheses(w).requires_grad
assert not without_parentheses(w).requires_grad
assert not never_recorded(w).requires_grad
with torch.no_grad():
    assert always_recorded(w).requires_grad
assert torch.is_grad_enabled()  # each call restored the caller's mode
print("name kept:", without_parentheses.__name__)
#> name kept: without_parentheses
