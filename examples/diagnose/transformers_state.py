import os
import tempfile
import warnings

import torch
from _diagnose import check_trainable, where_grad_stops
from transformers import GPT2Config, GPT2LMHeadModel, LlamaConfig, LlamaForCausalLM
from transformers.utils import logging as hf_logging

# DeepSpeed, if installed, would print "Setting accelerator to CPU ..." without a GPU.
os.environ.setdefault("DS_ACCELERATOR", "cpu")
hf_logging.set_verbosity_error()  # no loading report on stderr
hf_logging.disable_progress_bar()
torch.manual_seed(0)

# from_pretrained returns a model in eval mode: fine-tuning it as loaded trains in eval
config = GPT2Config(vocab_size=64, n_embd=16, n_layer=2, n_head=2, n_positions=32)
with tempfile.TemporaryDirectory() as folder:
    GPT2LMHeadModel(config).save_pretrained(folder)
    model = GPT2LMHeadModel.from_pretrained(folder)  # a local folder: no download
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
ids = torch.randint(0, 64, (2, 8), device=model.device)
findings = check_trainable(model, optimizer)
print(findings)
"""
eval-layers: GPT2LMHeadModel: in eval mode in a part that trains: transformer (GPT2Model), transformer.drop (Dropout), transformer.h.0.attn (GPT2Attention) and 7 more (see train-eval/#ex-eval-still-trains)
"""
assert findings.codes == ["eval-layers"]
model.train()  # the fix
assert not check_trainable(model, optimizer, inputs=(ids,))

# Gradient checkpointing with frozen embeddings: reentrant, without the input hook
config = LlamaConfig(
    vocab_size=64,
    hidden_size=16,
    intermediate_size=32,
    num_hidden_layers=2,
    num_attention_heads=2,
    num_key_value_heads=2,
)
model = LlamaForCausalLM(config)
ids = torch.randint(0, 64, (2, 8), device=model.device)
model.get_input_embeddings().requires_grad_(False)
model.gradient_checkpointing_enable({"use_reentrant": True})
model.disable_input_require_grads()  # undo the hook the line above added
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="None of the inputs have requires_grad")
    findings = where_grad_stops(model, ids, labels=ids)
print(findings)
"""
reentrant-checkpoint: model.layers.0.input_layernorm (LlamaRMSNorm): 18 trainable parameter(s) get no gradient (model.layers.0.self_attn.q_proj.weight, model.layers.0.self_attn.k_proj.weight and 16 more): torch.utils.checkpoint(use_reentrant=True) runs them with grad mode off, and none of its inputs requires grad (see training-stack/#checkpoint)
"""
assert findings.codes == ["reentrant-checkpoint"]
model.enable_input_require_grads()  # the fix: the embeddings' output requires grad
assert not where_grad_stops(model, ids, labels=ids)
