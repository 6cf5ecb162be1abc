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


def lora_grads(use_reentrant: bool, input_hook: bool) -> tuple[int, int, list[str]]:
    torch.manual_seed(0)
    model = get_peft_model(LlamaForCausalLM(config), lora)  # adds the input hook
    model.gradient_checkpointing_enable({"use_reentrant": use_reentrant})
    if not input_hook:
        model.disable_input_require_grads()  # as if nothing had added the hook
    model.train()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model(input_ids=ids, labels=ids).loss.backward()  # no error either way
    grads = [p.grad for name, p in model.named_parameters() if "lora_" in name]
    head = [
        p.grad
        for name, p in model.named_parameters()
        if "lm_head" in name and p.requires_grad
    ]
    assert head and all(g is not None for g in head)  # the head always trains
    return (
        sum(g is not None for g in grads),
        len(grads),
        [str(w.message) for w in caught],
    )


for use_reentrant in (True, False):
    for input_hook in (True, False):
        with_grad, total, messages = lora_grads(use_reentrant, input_hook)
        print(
            f"use_reentrant={use_reentrant}, input hook={input_hook}: {with_grad}/{total}"
        )
        #> use_reentrant=True, input hook=True: 8/8
        #> use_reentrant=True, input hook=False: 0/8
        if messages:
            print(messages[0])
            #> None of the inputs have requires_grad=True. Gradients will be None
        assert (with_grad == total) == (input_hook or not use_reentrant)
        #> None of the inputs have requires_grad=True. Gradients will be None
        assert with_grad in (0, total)
