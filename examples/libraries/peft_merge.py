import torch
from peft import LoraConfig, get_peft_model
from peft.tuners.lora import LoraLayer
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
lora = LoraConfig(r=2, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
model = get_peft_model(LlamaForCausalLM(config), lora)  # non-zero B: a real change
model.eval()
ids = torch.randint(0, 64, (1, 8))
with torch.no_grad():
    with_adapter = model(ids).logits
    with model.disable_adapter():  # the base model alone
        without = model(ids).logits
assert not torch.allclose(with_adapter, without)

merged = model.merge_and_unload()  # adds B @ A into the base weights, drops LoRA
assert type(merged) is LlamaForCausalLM
assert not any(isinstance(m, LoraLayer) for m in merged.modules())
with torch.no_grad():
    same = torch.allclose(merged(ids).logits, with_adapter, atol=1e-5)
assert same
print("merged output equals adapter output:", same)
#> merged output equals adapter output: True

# What merging leaves as it was: the mode, and the frozen flags of the base.
assert not merged.training and not any(m.training for m in merged.modules())
assert not any(p.requires_grad for p in merged.parameters())
print("merged training:", merged.training)
#> merged training: False
print(
    "merged parameters requiring grad:",
    sum(p.requires_grad for p in merged.parameters()),
)
#> merged parameters requiring grad: 0

# The same in training mode: a model merged after train() stays in training mode.
torch.manual_seed(0)
lora = LoraConfig(r=2, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
model = get_peft_model(LlamaForCausalLM(config), lora)
model.train()
merged = model.merge_and_unload()
every_module_training = all(m.training for m in merged.modules())
assert merged.training and every_module_training
print("merged after train(): every module training:", every_module_training)
#> merged after train(): every module training: True
