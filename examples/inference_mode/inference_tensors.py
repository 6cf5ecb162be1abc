import torch

torch.manual_seed(0)
w = torch.randn(4, requires_grad=True)
normal = torch.randn(4)

with torch.inference_mode():
    computed = w * 2
    created = torch.zeros(4)
    view = normal[:2]  # a view of a normal tensor
    normal.add_(1)  # an in-place update of a normal tensor

print("computed:", computed.is_inference(), computed.requires_grad)
#> computed: True False
print("created:", created.is_inference())
#> created: True
print("view of a normal tensor:", view.is_inference())
#> view of a normal tensor: False
print("normal tensor, version after add_:", normal._version)
#> normal tensor, version after add_: 1
try:
    version = computed._version
except RuntimeError as error:
    message = str(error)
print(message)
#> Inference tensors do not track version counter.
assert message.startswith("Inference tensors do not track version counter")
assert computed.is_inference() and created.is_inference()
assert not view.is_inference() and not normal.is_inference()
