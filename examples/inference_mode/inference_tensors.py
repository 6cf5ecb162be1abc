import torch

torch.manual_seed(0)
w = torch.randn(4, requires_grad=True)
normal = torch.randn(4)

with torch.inference_mode():
    computed = w * 2
    created = torch.zeros(4)
    view_of_inference = created[:2]
    view_of_normal = normal[:2]
    normal.add_(1)  # an in-place update of a normal tensor

print("computed:", computed.is_inference(), computed.requires_grad)
#> computed: True False
print("created:", created.is_inference())
#> created: True
print("view of an inference tensor is tracked as a view:", view_of_inference._is_view())
#> view of an inference tensor is tracked as a view: False
view_outside = created[:2]  # taken after the block: still an untracked inference tensor
print("and outside the mode:", view_outside.is_inference(), view_outside._is_view())
#> and outside the mode: True False
print(
    "view of a normal tensor:", view_of_normal.is_inference(), view_of_normal._is_view()
)
#> view of a normal tensor: False True
print("normal tensor, version after add_:", normal._version)
#> normal tensor, version after add_: 1
try:
    version = computed._version
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("computed._version did not raise RuntimeError")
print(message)
#> Inference tensors do not track version counter.
assert message.startswith("Inference tensors do not track version counter")
assert computed.is_inference() and created.is_inference()
assert view_of_inference._base is None  # no view tracking
assert view_outside.is_inference() and view_outside._base is None
assert not view_of_normal.is_inference() and view_of_normal._base is normal
assert normal._version == 1  # normal tensors keep counting, even inside the mode
assert not normal.is_inference()  # an in-place update leaves a normal tensor normal
