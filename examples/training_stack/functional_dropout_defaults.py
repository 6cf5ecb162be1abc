import inspect

import torch
import torch.nn.functional as F

torch.manual_seed(0)
x = torch.ones(4, 8, 16)  # (N, C, L): the 1d/2d/3d variants drop whole channels


def default_training(function) -> str:
    try:
        parameter = inspect.signature(function).parameters.get("training")
    except ValueError:  # a builtin without a Python signature
        parameter = None
    return (
        "no training argument" if parameter is None else f"training={parameter.default}"
    )


calls = {
    "dropout": lambda: F.dropout(x, 0.5),
    "dropout1d": lambda: F.dropout1d(x, 0.5),
    "dropout2d": lambda: F.dropout2d(x.unsqueeze(-1), 0.5),
    "dropout3d": lambda: F.dropout3d(x.unsqueeze(-1).unsqueeze(-1), 0.5),
    "alpha_dropout": lambda: F.alpha_dropout(x, 0.5),
    "feature_alpha_dropout": lambda: F.feature_alpha_dropout(x, 0.5),
    "scaled_dot_product_attention": lambda: F.scaled_dot_product_attention(
        x, x, torch.randn(4, 8, 16), dropout_p=0.5
    ),
}
# Called with only the dropout probability, as code inside forward() often does:
# no functional form can see the module's mode; each does what its default says.
drops = {}
for name, call in calls.items():
    torch.manual_seed(0)
    first, second = call(), call()
    drops[name] = not torch.equal(first, second)  # random: it is dropping
    print(f"F.{name}: {default_training(getattr(F, name))}, drops: {drops[name]}")
    #> F.dropout: training=True, drops: True
    #> F.dropout1d: training=True, drops: True
    #> F.dropout2d: training=True, drops: True
    #> F.dropout3d: training=True, drops: True
    #> F.alpha_dropout: training=False, drops: False
    #> F.feature_alpha_dropout: training=False, drops: False
    #> F.scaled_dot_product_attention: no training argument, drops: True
assert [name for name, dropping in drops.items() if not dropping] == [
    "alpha_dropout",
    "feature_alpha_dropout",
]
# multi_head_attention_forward (what nn.MultiheadAttention calls) also defaults to True
print(default_training(F.multi_head_attention_forward))
#> training=True
