import itertools
import logging

import torch
from torch import nn
from torch._dynamo.exc import FailOnRecompileLimitHit
from torch._dynamo.testing import CompileCounterWithBackend


class Logged(logging.Handler):  # keeps what torch._dynamo logs
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


logged = Logged()
dynamo_log = logging.getLogger("torch._dynamo.convert_frame")
dynamo_log.addHandler(logged)
torch.manual_seed(0)
model = nn.Sequential(*(nn.Linear(4, 4) for _ in range(4)))
x = torch.randn(2, 4)
patterns = list(itertools.product([True, False], repeat=4))[:10]  # 10 freeze patterns


def run(compiled: nn.Module) -> None:
    for pattern in patterns:
        for layer, trainable in zip(model, pattern, strict=True):
            layer.requires_grad_(trainable)
        with torch.no_grad():
            assert torch.allclose(compiled(x), model(x))  # the right result


print("recompile_limit:", torch._dynamo.config.recompile_limit)
#> recompile_limit: 8
torch._dynamo.reset()
counter = CompileCounterWithBackend("aot_eager")
run(torch.compile(model, backend=counter))
print("10 patterns, compilations:", counter.frame_count)
#> 10 patterns, compilations: 8
assert counter.frame_count == 8  # patterns 9 and 10 ran uncompiled (eager)
assert any("hit config.recompile_limit (8)" in m for m in logged.messages)
dynamo_log.removeHandler(logged)

torch._dynamo.reset()  # fullgraph=True: past the limit is an error
counter = CompileCounterWithBackend("aot_eager")
try:
    run(torch.compile(model, backend=counter, fullgraph=True))
except FailOnRecompileLimitHit as error:
    message = str(error)
else:
    raise AssertionError("fullgraph=True did not raise past the recompile limit")
print(message)
#> Hard failure due to fullgraph=True
assert counter.frame_count == 8
