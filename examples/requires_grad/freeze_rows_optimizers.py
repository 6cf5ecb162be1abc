import torch
from torch import nn

k = 2  # rows 0 and 1 get a zero gradient from a hook
mask = torch.ones(6, 1)
mask[:k] = 0
ids = torch.arange(6)


def rows_move(make_optimizer, steps_before_hook: int = 0) -> bool:
    torch.manual_seed(0)
    emb = nn.Embedding(6, 3)
    opt = make_optimizer(emb.parameters())
    for step in range(steps_before_hook + 3):
        if step == steps_before_hook:  # from here on, rows 0-1 are "frozen"
            emb.weight.register_hook(lambda grad: grad * mask)
            before = emb.weight.detach().clone()
        opt.zero_grad()
        emb(ids).pow(2).sum().backward()
        opt.step()
    return not torch.equal(emb.weight[:k], before[:k])


sgd = rows_move(lambda p: torch.optim.SGD(p, lr=0.1))
momentum = rows_move(lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9))
l2 = rows_move(lambda p: torch.optim.SGD(p, lr=0.1, weight_decay=0.01))
adam = rows_move(lambda p: torch.optim.Adam(p, lr=0.1))
adamw = rows_move(lambda p: torch.optim.AdamW(p, lr=0.1))  # weight_decay=0.01
adamw_0 = rows_move(lambda p: torch.optim.AdamW(p, lr=0.1, weight_decay=0.0))
print(
    "SGD, momentum, Adam, AdamW(weight_decay=0) move them:",
    sgd,
    momentum,
    adam,
    adamw_0,
)
#> SGD, momentum, Adam, AdamW(weight_decay=0) move them: False False False False
print("SGD(weight_decay=0.01), AdamW() move them:", l2, adamw)
#> SGD(weight_decay=0.01), AdamW() move them: True True
assert not (sgd or momentum or adam or adamw_0) and l2 and adamw

# Momentum and Adam's averages gathered before the hook keep moving the rows
late_momentum = rows_move(lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9), 1)
late_adam = rows_move(lambda p: torch.optim.Adam(p, lr=0.1), 1)
print("hook added after one step, momentum / Adam:", late_momentum, late_adam)
#> hook added after one step, momentum / Adam: True True
assert late_momentum and late_adam
