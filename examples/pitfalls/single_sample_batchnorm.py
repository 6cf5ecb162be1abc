import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.Linear(8, 2))
model(torch.randn(32, 4))  # one training step's forward: some statistics
one_request = torch.randn(1, 4)

# The symptom: a single sample in train mode has no batch variance
try:
    with torch.inference_mode():
        model(one_request)
except ValueError as error:
    message = str(error)
else:
    raise AssertionError("model(one_request) did not raise ValueError")
print(message)
"""
Expected more than 1 value per channel when training, got input size torch.Size([1, 8])
"""
assert message.startswith("Expected more than 1 value per channel when training")

# The fix: eval() (inference_mode does not switch the mode)
model.eval()
with torch.inference_mode():
    print("eval() output shape:", tuple(model(one_request).shape))
    #> eval() output shape: (1, 2)
