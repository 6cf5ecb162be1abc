import itertools
import warnings

import torch
from transformers import (
    LlamaConfig,
    LlamaForCausalLM,
    ViTConfig,
    ViTForImageClassification,
)
from transformers.utils import logging as hf_logging

hf_logging.set_verbosity_error()

text_config = LlamaConfig(
    vocab_size=64,
    hidden_size=16,
    intermediate_size=32,
    num_hidden_layers=2,
    num_attention_heads=2,
    num_key_value_heads=2,
)
image_config = ViTConfig(
    image_size=8,
    patch_size=4,
    hidden_size=16,
    intermediate_size=32,
    num_hidden_layers=2,
    num_attention_heads=2,
    num_labels=2,
)
torch.manual_seed(0)
ids = torch.randint(0, 64, (2, 8))
images = torch.randn(2, 3, 8, 8)
labels = torch.tensor([0, 1])


def llama():
    torch.manual_seed(0)
    model = LlamaForCausalLM(text_config)
    model.model.embed_tokens.requires_grad_(False)  # frozen embeddings
    inputs = {"input_ids": ids, "labels": ids}
    return model, inputs, model.model.layers[0].self_attn.q_proj.weight


def vit():
    torch.manual_seed(0)
    model = ViTForImageClassification(image_config)
    model.vit.embeddings.requires_grad_(False)  # frozen patch and position embeddings
    inputs = {"pixel_values": images, "labels": labels}
    return model, inputs, model.vit.layers[0].attention.q_proj.weight


# Which models does gradient_checkpointing_enable() give the input hook?
for build in (llama, vit):
    model, inputs, weight = build()
    model.gradient_checkpointing_enable()  # no arguments: use_reentrant=False
    embedded = model.get_input_embeddings()(inputs[model.main_input_name])
    hooked = embedded.requires_grad  # frozen embeddings: only the hook can set it
    assert hooked == (model.main_input_name == "input_ids")
    assert not any(p.requires_grad for p in model.get_input_embeddings().parameters())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model(**inputs).loss.backward()
    assert not caught, [str(w.message) for w in caught]
    # ViT has no hook: its layers get a gradient because the default is non-reentrant
    assert weight.grad is not None
    print(
        f"main input {model.main_input_name}: input hook added: {hooked}, "
        f"layer gradient: {weight.grad is not None}"
    )
    #> main input input_ids: input hook added: True, layer gradient: True
    #> main input pixel_values: input hook added: False, layer gradient: True


def layer_grad(build, use_reentrant: bool, input_hook: bool) -> tuple[bool, list[str]]:
    """Does a checkpointed layer get a gradient while the embeddings are frozen?"""
    model, inputs, weight = build()
    model.gradient_checkpointing_enable({"use_reentrant": use_reentrant})
    model.disable_input_require_grads()  # removes the hook, if the line above added it
    if input_hook:
        model.enable_input_require_grads()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model(**inputs).loss.backward()
    return weight.grad is not None, [str(w.message) for w in caught]


grads, messages_of = {}, {}
for run in itertools.product((llama, vit), (True, False), (True, False)):
    grads[run], messages_of[run] = layer_grad(*run)
for (build, use_reentrant, input_hook), got_grad in grads.items():
    warned = bool(messages_of[build, use_reentrant, input_hook])
    setting = f"{build.__name__:5} use_reentrant={use_reentrant!s:5} input hook={input_hook!s:5}"
    # Only reentrant checkpointing without the hook loses the gradients, and warns.
    assert got_grad == (input_hook or not use_reentrant)
    assert warned == (use_reentrant and not input_hook)
    print(f"{setting}: layer gradient {got_grad}, warned {warned}")
    #> llama use_reentrant=True  input hook=True : layer gradient True, warned False
    #> llama use_reentrant=True  input hook=False: layer gradient False, warned True
    #> llama use_reentrant=False input hook=True : layer gradient True, warned False
    #> llama use_reentrant=False input hook=False: layer gradient True, warned False
    #> vit   use_reentrant=True  input hook=True : layer gradient True, warned False
    #> vit   use_reentrant=True  input hook=False: layer gradient False, warned True
    #> vit   use_reentrant=False input hook=True : layer gradient True, warned False
    #> vit   use_reentrant=False input hook=False: layer gradient True, warned False

warning = messages_of[llama, True, False]
assert warning  # the warning came
assert {m for messages in messages_of.values() for m in messages} == {warning[0]}
print(warning[0])
#> None of the inputs have requires_grad=True. Gradients will be None
