import tempfile

import torch
from _sft import CONFIG, sft_trainer
from peft import LoraConfig, get_peft_model
from transformers import LlamaForCausalLM
from transformers.utils import is_torch_bf16_gpu_available
from trl import SFTConfig

torch.manual_seed(0)
with tempfile.TemporaryDirectory() as folder:
    LlamaForCausalLM(CONFIG).save_pretrained(folder)
    base = LlamaForCausalLM.from_pretrained(folder)  # eval mode
lora = LoraConfig(r=2, target_modules=["q_proj", "v_proj"], lora_dropout=0.1)
model = get_peft_model(base, lora)


def state() -> tuple[str, int, int]:
    """(modes of all modules, trainable LoRA tensors, trainable base tensors)."""
    modes = {m.training for m in model.modules()}
    mode = (
        "mixed" if len(modes) == 2 else "all training" if True in modes else "all eval"
    )
    lora_tensors = [p for n, p in model.named_parameters() if "lora_" in n]
    base_tensors = [p for n, p in model.named_parameters() if "lora_" not in n]
    return (
        mode,
        sum(p.requires_grad for p in lora_tensors),
        sum(p.requires_grad for p in base_tensors),
    )


seen = {"get_peft_model": state()}
phase = "training step"


def record(module, args, output):
    seen.setdefault(phase, (*state(), torch.is_grad_enabled()))


model.base_model.model.model.layers[0].register_forward_hook(record)
with tempfile.TemporaryDirectory() as folder:
    trainer = sft_trainer(model, folder)
    seen["SFTTrainer()"] = state()
    trainer.train()
    seen["after train()"] = state()
    phase = "evaluate()"
    trainer.evaluate()
    seen["after evaluate()"] = state()

print("phase: (modules, trainable LoRA tensors, trainable base tensors, grad mode)")
#> phase: (modules, trainable LoRA tensors, trainable base tensors, grad mode)
for when, what in seen.items():
    print(f"{when:17} {what}")
    #> get_peft_model    ('mixed', 8, 0)
    #> SFTTrainer()      ('mixed', 8, 0)
    #> training step     ('all training', 8, 0, True)
    #> after train()     ('all training', 8, 0)
    #> evaluate()        ('all eval', 8, 0, False)
    #> after evaluate()  ('all eval', 8, 0)
assert seen["get_peft_model"] == seen["SFTTrainer()"] == ("mixed", 8, 0)
assert seen["training step"] == ("all training", 8, 0, True)  # model.train()
assert seen["after train()"] == ("all training", 8, 0)
assert seen["evaluate()"] == ("all eval", 8, 0, False)  # model.eval(), no_grad
assert seen["after evaluate()"] == ("all eval", 8, 0)

# What train() leaves on the base model: gradient checkpointing (SFTConfig's default).
assert SFTConfig.__dataclass_fields__["gradient_checkpointing"].default is True
assert base.is_gradient_checkpointing
print("gradient checkpointing after train():", base.is_gradient_checkpointing)
#> gradient checkpointing after train(): True

# bf16: the field defaults to None, which SFTConfig turns into `not fp16`, so bf16 is on.
# Where bf16 is not available (on the CPU, unless use_cpu=True), that default raises:
# _sft.py passes bf16=False.
assert SFTConfig.__dataclass_fields__["bf16"].default is None
with tempfile.TemporaryDirectory() as folder:
    assert SFTConfig(folder, report_to="none", use_cpu=True).bf16 is True
    if not is_torch_bf16_gpu_available():
        try:
            SFTConfig(folder, report_to="none")
        except ValueError:
            pass  # "Your setup doesn't support bf16/gpu. ..."
        else:
            raise AssertionError("bf16 on, where it is not available, without an error")
