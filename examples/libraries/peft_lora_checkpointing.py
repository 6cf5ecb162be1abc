import itertools
import warnings

import torch
from peft import LoraConfig, get_peft_model
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
# LoRA in the attention, plus a fully trained head outside the checkpointed layers.
lora = LoraConfig(r=2, target_modules=["q_proj", "v_proj"], modules_to_save=["lm_head"])
torch.manual_seed(0)
ids = torch.randint(0, 64, (2, 8))


def hooked(model) -> bool:
    """The embeddings are frozen: their output requires grad only through the hook."""
    return model.get_input_embeddings()(ids).requires_grad


# Who adds the input hook?
torch.manual_seed(0)
plain = get_peft_model(LlamaForCausalLM(config), lora)
base = LlamaForCausalLM(config)
base.gradient_checkpointing_enable()  # transformers adds the hook here ...
base.disable_input_require_grads()  # ... removed: only checkpointing is left on
checkpointed_first = get_peft_model(base, lora)
checkpointed_after = get_peft_model(LlamaForCausalLM(config), lora)
checkpointed_after.gradient_checkpointing_enable()  # the base model's method
added = {
    "get_peft_model, checkpointing off": hooked(plain),
    "get_peft_model, checkpointing on": hooked(checkpointed_first),
    "gradient_checkpointing_enable() after": hooked(checkpointed_after),
}
for case, hook in added.items():
    print(f"{case:37} input hook: {hook}")
    #> get_peft_model, checkpointing off     input hook: False
    #> get_peft_model, checkpointing on      input hook: True
    #> gradient_checkpointing_enable() after input hook: True
assert added == {
    "get_peft_model, checkpointing off": False,  # PeftModel adds no hook
    "get_peft_model, checkpointing on": True,  # PeftModel adds it
    "gradient_checkpointing_enable() after": True,  # transformers adds it
}


def lora_counts(model) -> tuple[int, int]:
    """(LoRA tensors with a gradient, all LoRA tensors); the head always trains."""
    grads = [p.grad for name, p in model.named_parameters() if "lora_" in name]
    head = [
        p.grad
        for name, p in model.named_parameters()
        if "lm_head" in name and p.requires_grad
    ]
    assert head and all(g is not None for g in head)  # the head always trains
    return sum(g is not None for g in grads), len(grads)


def lora_grads(use_reentrant: bool, input_hook: bool):
    """(LoRA tensors with a gradient, all LoRA tensors), and the warnings."""
    torch.manual_seed(0)
    model = get_peft_model(LlamaForCausalLM(config), lora)  # no hook yet
    model.gradient_checkpointing_enable({"use_reentrant": use_reentrant})  # adds it
    if not input_hook:
        model.disable_input_require_grads()  # as if nothing had added the hook
    assert hooked(model) == input_hook
    model.train()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model(input_ids=ids, labels=ids).loss.backward()  # no error either way
    return lora_counts(model), [str(w.message) for w in caught]


counts, messages_of = {}, {}
for run in itertools.product((True, False), (True, False)):
    counts[run], messages_of[run] = lora_grads(*run)
for (use_reentrant, input_hook), (with_grad, total) in counts.items():
    warned = bool(messages_of[use_reentrant, input_hook])
    setting = f"use_reentrant={use_reentrant!s:5} input hook={input_hook!s:5}"
    # Only reentrant checkpointing without the hook: no LoRA gradient, a warning.
    assert with_grad == (total if input_hook or not use_reentrant else 0)
    assert warned == (use_reentrant and not input_hook)
    print(f"{setting}: LoRA gradients {with_grad}/{total}, warned {warned}")
    #> use_reentrant=True  input hook=True : LoRA gradients 8/8, warned False
    #> use_reentrant=True  input hook=False: LoRA gradients 0/8, warned True
    #> use_reentrant=False input hook=True : LoRA gradients 8/8, warned False
    #> use_reentrant=False input hook=False: LoRA gradients 8/8, warned False

warning = messages_of[True, False]
assert warning  # the warning came
print(warning[0])
#> None of the inputs have requires_grad=True. Gradients will be None
