import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5))
x = torch.randn(8, 4)
exported = torch.export.export(model, (x,)).module()  # exported in training mode

for switch in (exported.eval, exported.train):
    try:
        switch()
    except NotImplementedError as error:
        message = str(error)
    else:
        raise AssertionError("switch() did not raise NotImplementedError")
    print(message)
    #> Calling eval() is not supported yet.
    #> Calling train() is not supported yet.
    assert message.startswith("Calling")

nn.Module.train(exported, False)  # bypass the override: only the flag changes
print("training flag:", exported.training)
#> training flag: False
print("Dropout still on:", not torch.equal(exported(x), exported(x)))
#> Dropout still on: True
assert not exported.training and not torch.equal(exported(x), exported(x))
print(
    "torch.ao.quantization.move_exported_model_to_eval:",
    hasattr(torch.ao.quantization, "move_exported_model_to_eval"),
)
#> torch.ao.quantization.move_exported_model_to_eval: False
assert not hasattr(torch.ao.quantization, "move_exported_model_to_train")
