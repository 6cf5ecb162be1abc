import torch
from torch import nn

torch.manual_seed(0)
generator = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2))
discriminator = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1))
opt_g = torch.optim.Adam(generator.parameters(), lr=1e-3)
opt_d = torch.optim.Adam(discriminator.parameters(), lr=1e-3)
bce = nn.BCEWithLogitsLoss()
real, noise = torch.randn(16, 2) + 3, torch.randn(16, 4)
ones, zeros = torch.ones(16, 1), torch.zeros(16, 1)


def grads(model: nn.Module) -> str:
    found = [p.grad is not None for p in model.parameters()]
    return "all" if all(found) else "none" if not any(found) else "some"


def train_only(trained: nn.Module, frozen: nn.Module) -> None:
    trained.requires_grad_(True)
    frozen.requires_grad_(False)


# Discriminator step: the generator is frozen, so no graph is built through it
train_only(discriminator, generator)
fake = generator(noise)  # the same as generator(noise).detach() here
d_loss = bce(discriminator(real), ones) + bce(discriminator(fake), zeros)
opt_d.zero_grad()
d_loss.backward()
opt_d.step()
assert fake.grad_fn is None
assert grads(discriminator) == "all" and grads(generator) == "none"

# Generator step: the discriminator is frozen, the gradient flows through it
train_only(generator, discriminator)
opt_d.zero_grad()  # set_to_none=True: the discriminator's .grad is None again
d_weight = discriminator[0].weight.clone()
g_loss = bce(discriminator(generator(noise)), ones)
opt_g.zero_grad()
g_loss.backward()
opt_g.step()
assert grads(generator) == "all" and grads(discriminator) == "none"
assert torch.equal(discriminator[0].weight, d_weight)

print("after the generator step, D grads:", grads(discriminator))
#> after the generator step, D grads: none
print("after the generator step, G grads:", grads(generator))
#> after the generator step, G grads: all

# Without freezing, the generator step fills the discriminator's .grad for nothing
discriminator.requires_grad_(True)
opt_g.zero_grad()
bce(discriminator(generator(noise)), ones).backward()
assert grads(discriminator) == "all"
