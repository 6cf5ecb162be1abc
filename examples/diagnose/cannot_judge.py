import warnings

import torch
from _diagnose import check_eval_ready, report, where_grad_stops
from torch import nn

torch.manual_seed(0)
x = torch.randn(2, 4)

# A traced module: the mode it was traced in is baked into its graph
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*torch.jit.trace.*deprecated")
    traced = torch.jit.trace(
        nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5)), x, check_trace=False
    )
model = nn.Sequential(traced, nn.Linear(4, 1)).eval()
with torch.no_grad():
    findings = check_eval_ready(model)
print(findings)
"""
cannot-judge: 0 (TopLevelTracedModule): a TorchScript module: its code cannot be read, nor its ops watched, here; and a traced one keeps the mode it was traced in (see diagnose/#cannot-judge)
"""
assert findings.codes == ["cannot-judge"]

# A scripted module: its ops run where they cannot be watched. One line for it, and no
# claim about its parameters, which do get a gradient
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*torch.jit.script.*deprecated")
    scripted = torch.jit.script(nn.Sequential(nn.Linear(4, 4), nn.ReLU()))
assert where_grad_stops(scripted, x).codes == ["cannot-judge"]
model = nn.Sequential(scripted, nn.Linear(4, 1))
findings = where_grad_stops(model, x)
print(findings.codes, findings[0].where)
#> ['cannot-judge'] 0 (RecursiveScriptModule)
model(x).sum().backward()
assert all(p.grad is not None for p in scripted.parameters())

# An optimizer that cannot step without a closure: does step() move a frozen weight?
model = nn.Linear(4, 1)
optimizer = torch.optim.LBFGS(model.parameters())
model(x).sum().backward()
model.weight.requires_grad_(False)
findings = report(model, optimizer).findings
print(findings.codes, findings[0].where)
#> ['cannot-judge'] weight
assert "LBFGS.step() changes it is unknown" in findings[0].message

# A compiled module: the ops inside its graph cannot be watched
compiled = torch.compile(nn.Linear(4, 1))
print(where_grad_stops(compiled, x))
"""
cannot-judge: OptimizedModule: a torch.compile'd module: the ops inside its compiled graph cannot be watched; pass the module it was compiled from (._orig_mod) (see diagnose/#cannot-judge)
"""
assert not where_grad_stops(compiled._orig_mod, x)
