import os
import tempfile

import torch
from peft import LoraConfig, PeftModel, get_peft_model
from transformers import LlamaConfig, LlamaForCausalLM
from transformers.utils import logging as hf_logging

# DeepSpeed, if installed, would print "Setting accelerator to CPU ..." without a GPU.
os.environ.setdefault("DS_ACCELERATOR", "cpu")
hf_logging.set_verbosity_error()
hf_logging.disable_progress_bar()

torch.manual_seed(0)
config = LlamaConfig(
    vocab_size=64,
    hidden_size=16,
    intermediate_size=32,
    num_hidden_layers=2,
    num_attention_heads=2,
    num_key_value_heads=2,
)
lora = LoraConfig(r=2, target_modules=["q_proj", "v_proj"])


def lora_trainable(model: torch.nn.Module) -> bool:
    return any(p.requires_grad for n, p in model.named_parameters() if "lora_" in n)


with (
    tempfile.TemporaryDirectory() as base_dir,
    tempfile.TemporaryDirectory() as adapter,
):
    LlamaForCausalLM(config).save_pretrained(base_dir)
    get_peft_model(LlamaForCausalLM.from_pretrained(base_dir), lora).save_pretrained(
        adapter
    )

    base = LlamaForCausalLM.from_pretrained(base_dir)
    loaded = PeftModel.from_pretrained(base, adapter)  # is_trainable=False by default
    assert not any(m.training for m in loaded.modules())  # eval mode, adapters too
    assert not lora_trainable(loaded)  # the adapters are frozen as well
    print(
        "default: training", loaded.training, "| LoRA trainable", lora_trainable(loaded)
    )
    #> default: training False | LoRA trainable False

    base = LlamaForCausalLM.from_pretrained(base_dir)
    resumed = PeftModel.from_pretrained(base, adapter, is_trainable=True)
    assert lora_trainable(resumed)  # to train the adapter further
    assert not base.training  # still call train() before training
    print("is_trainable=True: LoRA trainable", lora_trainable(resumed))
    #> is_trainable=True: LoRA trainable True
