import warnings

import torch
from transformers import LlamaConfig, LlamaForCausalLM
from transformers.utils import logging as hf_logging

hf_logging.set_verbosity_error()

config = LlamaConfig(
    vocab_size=64,
    hidden_size=16,
    intermediate_size=32,
    num_hidden_layers=2,
    num_attention_heads=2,
    num_key_value_heads=2,
)
torch.manual_seed(0)
ids = torch.randint(0, 64, (2, 8))


def layer_grad(use_reentrant: bool, input_hook: bool) -> tuple[bool, list[str]]:
    """Does a checkpointed layer get a gradient while the embeddings are frozen?"""
    torch.manual_seed(0)
    model = LlamaForCausalLM(config)
    model.get_input_embeddings().requires_grad_(False)  # frozen embeddings
    model.gradient_checkpointing_enable({"use_reentrant": use_reentrant})
    if not input_hook:
        model.disable_input_require_grads()  # undo what the line above added
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model(ids, labels=ids).loss.backward()
    weight = model.model.layers[0].self_attn.q_proj.weight
    return weight.grad is not None, [str(w.message) for w in caught]


torch.manual_seed(0)
model = LlamaForCausalLM(config)
model.get_input_embeddings().requires_grad_(False)
embedded = model.get_input_embeddings()(ids)
assert not embedded.requires_grad  # frozen: its output needs no gradient
model.gradient_checkpointing_enable()  # also calls enable_input_require_grads()
embedded = model.get_input_embeddings()(ids)
assert embedded.requires_grad  # the hook marks the output as requiring grad
assert not model.get_input_embeddings().weight.requires_grad  # still frozen
print("embedding output requires grad:", embedded.requires_grad)
#> embedding output requires grad: True

for use_reentrant in (True, False):
    for input_hook in (True, False):
        got_grad, messages = layer_grad(use_reentrant, input_hook)
        print(f"use_reentrant={use_reentrant}, input hook={input_hook}: {got_grad}")
        #> use_reentrant=True, input hook=True: True
        #> use_reentrant=True, input hook=False: False
        if messages:
            print(messages[0])
            #> None of the inputs have requires_grad=True. Gradients will be None
        assert got_grad == (input_hook or not use_reentrant)
        #> None of the inputs have requires_grad=True. Gradients will be None
        assert bool(messages) == (use_reentrant and not input_hook)
