import os
import tempfile

import torch
from torch import nn
from transformers import GPT2Config, GPT2LMHeadModel
from transformers.utils import logging as hf_logging

# DeepSpeed, if installed, would print "Setting accelerator to CPU ..." without a GPU.
os.environ.setdefault("DS_ACCELERATOR", "cpu")
hf_logging.set_verbosity_error()  # no loading report on stderr
hf_logging.disable_progress_bar()  # no "Loading weights" bar

torch.manual_seed(0)
config = GPT2Config(vocab_size=64, n_embd=16, n_layer=2, n_head=2, n_positions=32)
built = GPT2LMHeadModel(config)  # from a config: nothing is loaded
with tempfile.TemporaryDirectory() as folder:
    built.save_pretrained(folder)
    loaded = GPT2LMHeadModel.from_pretrained(folder)  # a local folder: no download

assert all(module.training for module in built.modules())
assert not any(module.training for module in loaded.modules())
print("built from a config, training:", built.training)
#> built from a config, training: True
print("from_pretrained, training:", loaded.training)
#> from_pretrained, training: False

ids = torch.randint(0, 64, (1, 8), device=loaded.device)
assert torch.equal(loaded(ids).logits, loaded(ids).logits)  # Dropout is off

# Fine-tuning it as it is: nothing fails and the loss goes down, but Dropout never runs.
dropout_modes = []  # the `training` flag of every Dropout call
for module in loaded.modules():
    if isinstance(module, nn.Dropout):
        assert module.p > 0
        module.register_forward_hook(
            lambda module, args, output: dropout_modes.append(module.training)
        )
optimizer = torch.optim.AdamW(loaded.parameters(), lr=0.01)
losses = []
for _ in range(5):
    loss = loaded(ids, labels=ids).loss
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    losses.append(loss.item())
assert losses[-1] < losses[0]  # it learns ...
assert dropout_modes and not any(dropout_modes)  # ... with Dropout off at every call
print("without train(): loss went down:", losses[-1] < losses[0])
#> without train(): loss went down: True
print("without train(): Dropout ran:", any(dropout_modes))
#> without train(): Dropout ran: False

loaded.train()  # what fine-tuning code must do itself
assert not torch.equal(loaded(ids).logits, loaded(ids).logits)  # Dropout is on
print(
    "after train(), two calls agree:",
    torch.equal(loaded(ids).logits, loaded(ids).logits),
)
#> after train(), two calls agree: False
