import torch
from peft import LoraConfig, get_peft_model
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
base = LlamaForCausalLM(config)
assert all(p.requires_grad for p in base.parameters())  # before: all trainable

model = get_peft_model(base, LoraConfig(r=2, target_modules=["q_proj", "v_proj"]))
trainable, total = model.get_nb_trainable_parameters()  # print_trainable_parameters()
print(f"trainable params: {trainable:,d} || all params: {total:,d}")  # prints these
#> trainable params: 256 || all params: 7,504
assert trainable == sum(p.numel() for p in model.parameters() if p.requires_grad)
names = [name for name, p in model.named_parameters() if p.requires_grad]
assert names and all("lora_" in name for name in names)  # only the adapters
assert not any(p.requires_grad for p in base.lm_head.parameters())  # base: frozen
print("trainable tensors are all LoRA:", all("lora_" in name for name in names))
#> trainable tensors are all LoRA: True
