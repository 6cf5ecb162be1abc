import torch
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
model = LlamaForCausalLM(config)  # built from a config: training mode
seen = []
model.lm_head.register_forward_hook(
    lambda module, args, output: seen.append((torch.is_grad_enabled(), module.training))
)

prompt = torch.randint(0, 64, (1, 4))
out = model.generate(
    prompt,
    max_new_tokens=3,
    do_sample=False,
    pad_token_id=0,
    output_scores=True,
    return_dict_in_generate=True,
)
assert seen and all(not grad for grad, _ in seen)  # every step ran with grad mode off
assert all(training for _, training in seen)  # generate() did not call eval()
assert torch.is_grad_enabled()  # back on after generate()
assert not any(score.requires_grad for score in out.scores)
print("grad mode inside generate():", seen[0][0])
#> grad mode inside generate(): False
print("scores require grad:", out.scores[0].requires_grad)
#> scores require grad: False
print("generated tokens:", out.sequences.dtype)
#> generated tokens: torch.int64

# Gradients for the generated text: one ordinary forward pass over it.
logits = model(out.sequences).logits
assert logits.requires_grad and logits.grad_fn is not None
print("forward pass over the sequence, grad_fn:", logits.grad_fn is not None)
#> forward pass over the sequence, grad_fn: True
