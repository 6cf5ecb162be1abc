import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(6, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.5), nn.Linear(16, 3)
)
model.eval()  # fixed BatchNorm statistics, no Dropout: the map is repeatable
model.requires_grad_(False)  # optional: no parameter gradients to accumulate
x = torch.randn(4, 6)


def saliency(inputs: torch.Tensor) -> torch.Tensor:
    inputs = inputs.clone().requires_grad_()  # the input is what we differentiate
    scores = model(inputs)
    top = scores.argmax(dim=1)
    scores.gather(1, top[:, None]).sum().backward()
    return inputs.grad.abs()


first, second = saliency(x), saliency(x)
assert torch.equal(first, second)  # eval(): the same map every time
assert all(p.grad is None for p in model.parameters())  # frozen: nothing stored
print("saliency shape:", tuple(first.shape), "repeatable:", torch.equal(first, second))
#> saliency shape: (4, 6) repeatable: True

# Each sample's map is its own: eval-mode BatchNorm does not mix the batch
alone = saliency(x[:1])
assert torch.allclose(alone, first[:1])
print("same map alone and in the batch:", torch.allclose(alone, first[:1]))
#> same map alone and in the batch: True

# What does not work: no_grad() (or inference_mode()) around it
with torch.no_grad():
    try:
        saliency(x)
    except RuntimeError as error:
        message = str(error)
    else:
        raise AssertionError("saliency(x) did not raise RuntimeError")
print(message)
#> element 0 of tensors does not require grad and does not have a grad_fn
assert message.startswith("element 0 of tensors does not require grad")

# Recurrent layers too (on CUDA only with cuDNN off: see cudnn_rnn_backward_in_eval.py)
lstm = nn.LSTM(6, 8, batch_first=True).eval()
sequence = torch.randn(2, 5, 6, requires_grad=True)
with torch.backends.cudnn.flags(enabled=False):
    lstm(sequence)[0].sum().backward()
print("LSTM in eval: input gradient shape:", tuple(sequence.grad.shape))
#> LSTM in eval: input gradient shape: (2, 5, 6)
