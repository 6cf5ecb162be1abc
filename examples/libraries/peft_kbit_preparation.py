import torch
from peft import prepare_model_for_kbit_training
from transformers import LlamaConfig, LlamaForCausalLM
from transformers.utils import logging as hf_logging

hf_logging.set_verbosity_error()

torch.manual_seed(0)
config = LlamaConfig(
    vocab_size=64,
    hidden_size=16,
    intermediate_size=32,
    num_hidden_layers=2,
    num_attention_heads=2,
    num_key_value_heads=2,
)
model = LlamaForCausalLM(config).to(torch.bfloat16)  # not quantized: no bitsandbytes
assert not getattr(model, "is_loaded_in_4bit", False)
assert all(p.requires_grad for p in model.parameters())

prepare_model_for_kbit_training(model)  # changes the model in place (and returns it)

dtypes = sorted({str(p.dtype) for p in model.parameters()})
trainable = sum(p.requires_grad for p in model.parameters())
ids = torch.randint(0, 64, (1, 4))
input_hook = model.get_input_embeddings()(ids).requires_grad
print("parameter dtypes:", dtypes, "| trainable tensors:", trainable)
#> parameter dtypes: ['torch.float32'] | trainable tensors: 0
print("checkpointing:", model.is_gradient_checkpointing, "| input hook:", input_hook)
#> checkpointing: False | input hook: False
assert dtypes == ["torch.float32"]  # bfloat16 and float16 parameters become float32
assert trainable == 0  # every parameter is frozen
# Gradient checkpointing and the input hook come only for a quantized model.
assert not model.is_gradient_checkpointing and not input_hook

# A model flagged as 8-bit (the attribute peft reads; nothing is quantized) gets both.
# With use_reentrant=False peft does not call enable_input_require_grads() itself, but
# gradient_checkpointing_enable(), which it calls next, adds the hook anyway: the
# model's main input is input_ids.
for kwargs in [None, {"use_reentrant": False}]:
    flagged = LlamaForCausalLM(config)
    flagged.is_loaded_in_8bit = True
    prepare_model_for_kbit_training(flagged, gradient_checkpointing_kwargs=kwargs)
    checkpointing = flagged.is_gradient_checkpointing
    input_hook = flagged.get_input_embeddings()(ids).requires_grad
    print("8-bit flag", kwargs, "| checkpointing", checkpointing, "| hook", input_hook)
    #> 8-bit flag None | checkpointing True | hook True
    #> 8-bit flag {'use_reentrant': False} | checkpointing True | hook True
    assert flagged.main_input_name == "input_ids" and checkpointing and input_hook
