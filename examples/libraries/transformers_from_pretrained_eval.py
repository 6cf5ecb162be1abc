import tempfile

import torch
from transformers import GPT2Config, GPT2LMHeadModel
from transformers.utils import logging as hf_logging

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
loaded.train()  # what fine-tuning code must do itself
assert not torch.equal(loaded(ids).logits, loaded(ids).logits)  # Dropout is on
print(
    "after train(), two calls agree:",
    torch.equal(loaded(ids).logits, loaded(ids).logits),
)
#> after train(), two calls agree: False
