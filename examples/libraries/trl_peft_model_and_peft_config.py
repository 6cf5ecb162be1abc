import tempfile

import torch
from _sft import CONFIG, sft_trainer
from peft import LoraConfig, get_peft_model
from transformers import LlamaForCausalLM

torch.manual_seed(0)
lora = LoraConfig(r=2, target_modules=["q_proj", "v_proj"])
model = get_peft_model(LlamaForCausalLM(CONFIG), lora)  # already a PeftModel

with tempfile.TemporaryDirectory() as folder:
    try:
        sft_trainer(model, folder, peft_config=lora)  # ... and a peft_config
    except ValueError as error:
        message = str(error)
    else:
        raise AssertionError("SFTTrainer took a PeftModel and a peft_config")
assert message.startswith("You passed a `PeftModel` instance together with")
print(message)
"""
You passed a `PeftModel` instance together with a `peft_config` to the trainer. Please first merge and unload the existing adapter, save the resulting base model, and then pass that base model along with the new `peft_config` to the trainer.
"""
