import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.randn(8, 4)

model.eval()
before = [p.clone() for p in model.parameters()]
model(x).sum().backward()
optimizer.step()
assert all(p.grad is not None for p in model.parameters())  # eval(): .grad as usual
pairs = zip(before, model.parameters(), strict=True)
assert not any(torch.equal(b, p) for b, p in pairs)  # eval(): step() updates them all
optimizer.zero_grad()
model.train()

model[0].requires_grad_(False)
before = [p.clone() for p in model.parameters()]
model(x).sum().backward()
optimizer.step()
after = list(model.parameters())
print("frozen .grad:", model[0].weight.grad)
#> frozen .grad: None
assert torch.equal(before[0], after[0]) and torch.equal(before[1], after[1])
assert not torch.equal(before[2], after[2])  # the trainable layer moved
optimizer.zero_grad()
model[0].requires_grad_(True)

messages = {}
for switch in (torch.no_grad, torch.inference_mode):
    with switch():
        loss = model(x).sum()
    try:
        loss.backward()
    except RuntimeError as error:
        messages[switch.__name__] = str(error)
    else:
        raise AssertionError(f"loss.backward() after {switch.__name__} did not raise")
assert list(messages) == ["no_grad", "inference_mode"]
assert len(set(messages.values())) == 1  # the same error for both
message = messages["inference_mode"]
assert message.startswith("element 0 of tensors does not require grad")
print(message)
#> element 0 of tensors does not require grad and does not have a grad_fn
