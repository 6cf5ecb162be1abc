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
    attention_bias=True,  # q, k, v and o projections with a bias
)


def wrap(**options):
    torch.manual_seed(0)
    base = LlamaForCausalLM(config)
    assert all(p.requires_grad for p in base.parameters())  # before: all trainable
    lora = LoraConfig(r=2, target_modules=["q_proj", "v_proj"], **options)
    return get_peft_model(base, lora)


def names_of(model, trainable=False) -> list[str]:
    """Parameter names as in the base model (all, or the trainable ones)."""
    return [
        name.removeprefix("base_model.model.")
        for name, p in model.named_parameters()
        if p.requires_grad or not trainable
    ]


def trainable_base(model) -> list[str]:
    """Trainable tensors that are not LoRA matrices."""
    return [name for name in names_of(model, trainable=True) if "lora_" not in name]


model = wrap()  # the default LoraConfig
trainable, total = model.get_nb_trainable_parameters()  # print_trainable_parameters()
print(f"trainable params: {trainable:,d} || all params: {total:,d}")  # prints these
#> trainable params: 256 || all params: 7,632
assert trainable == sum(p.numel() for p in model.parameters() if p.requires_grad)
names = [name for name, p in model.named_parameters() if p.requires_grad]
assert names and all("lora_" in name for name in names)  # only the adapters
assert trainable_base(model) == []  # base: frozen
print("trainable tensors are all LoRA:", all("lora_" in name for name in names))
#> trainable tensors are all LoRA: True

# bias="all": every bias of the base model stays trainable, even without LoRA.
model = wrap(bias="all")
biases = trainable_base(model)
assert biases == [n for n in names_of(model) if n.endswith(".bias")]  # all of them
assert any("k_proj" in name for name in biases)  # k_proj has no LoRA
print('bias="all", trainable base tensors:', len(biases), "biases")
#> bias="all", trainable base tensors: 8 biases

# modules_to_save: a trainable copy of the module; the original stays frozen.
model = wrap(modules_to_save=["lm_head"])
head = {
    n: p.requires_grad for n, p in model.base_model.model.lm_head.named_parameters()
}
assert head == {"original_module.weight": False, "modules_to_save.default.weight": True}
print('modules_to_save=["lm_head"]:', trainable_base(model))
#> modules_to_save=["lm_head"]: ['lm_head.modules_to_save.default.weight']
