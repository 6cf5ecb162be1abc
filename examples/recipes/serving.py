import torch
from torch import nn

torch.manual_seed(0)


class Predictor:
    def __init__(self, model: nn.Module) -> None:
        self.model = model.eval()  # once: nothing here switches it back

    @torch.inference_mode()  # no graph, no version counters, this thread only
    def predict(self, inputs: torch.Tensor) -> torch.Tensor:
        return self.model(inputs).softmax(dim=1)


model = nn.Sequential(
    nn.Linear(8, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.5), nn.Linear(16, 3)
)
predictor = Predictor(model)
batch = torch.randn(32, 8)

probabilities = predictor.predict(batch)
assert torch.equal(probabilities, predictor.predict(batch))  # deterministic
alone = predictor.predict(batch[:1])  # one request, no batch statistics needed
assert torch.allclose(alone, probabilities[:1], atol=1e-5)
assert probabilities.grad_fn is None and not probabilities.requires_grad
assert probabilities.is_inference()
assert not torch.is_inference_mode_enabled()  # only inside predict()
assert all(p.requires_grad for p in model.parameters())  # weights untouched

print("grad_fn:", probabilities.grad_fn)
#> grad_fn: None
print("is_inference:", probabilities.is_inference())
#> is_inference: True
print("shape:", tuple(probabilities.shape))
#> shape: (32, 3)
