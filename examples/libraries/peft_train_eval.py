import os
import tempfile

import torch
from peft import LoraConfig, get_peft_model
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
with tempfile.TemporaryDirectory() as folder:
    LlamaForCausalLM(config).save_pretrained(folder)
    base = LlamaForCausalLM.from_pretrained(folder)  # eval mode
lora = LoraConfig(r=2, target_modules=["q_proj", "v_proj"], lora_dropout=0.5)
model = get_peft_model(base, lora)
dropouts = [m for name, m in model.named_modules() if name.endswith("lora_dropout")]

# Mixed: the new wrapper and LoRA layers are in training mode, the base stays in eval.
assert model.training and not base.training and not base.model.norm.training
assert dropouts and all(m.training for m in dropouts)
print("wrapper training:", model.training, "| base training:", base.training)
#> wrapper training: True | base training: False

model.eval()  # the wrapper's eval() reaches the base model and the adapters
assert not any(m.training for m in model.modules())
ids = torch.randint(0, 64, (1, 8), device=model.device)
assert torch.equal(model(ids).logits, model(ids).logits)
model.train()  # ... and train() reaches every module
assert all(m.training for m in model.modules())
print("all modules training after train():", all(m.training for m in model.modules()))
#> all modules training after train(): True

seen = []
base.lm_head.register_forward_hook(
    lambda module, args, output: seen.append(torch.is_grad_enabled())
)
model.eval()
model.generate(ids, max_new_tokens=2, do_sample=False, pad_token_id=0)
assert seen and not any(seen)  # PeftModel.generate runs the base's generate()
print("grad mode inside PeftModel.generate():", any(seen))
#> grad mode inside PeftModel.generate(): False
