import torch
from transformers import GPT2Config, GPT2LMHeadModel
from transformers.utils import logging as hf_logging

hf_logging.set_verbosity_error()

torch.manual_seed(0)
config = GPT2Config(vocab_size=64, n_embd=16, n_layer=2, n_head=2, n_positions=32)
assert config.resid_pdrop == config.embd_pdrop == 0.1  # GPT-2's Dropout, p=0.1
model = GPT2LMHeadModel(config)  # built from a config: training mode
seen = []
model.lm_head.register_forward_hook(
    lambda module, args, output: seen.append((torch.is_grad_enabled(), module.training))
)
prompt = torch.randint(0, 64, (1, 4))


def generate():
    return model.generate(
        prompt,
        max_new_tokens=3,
        do_sample=False,  # greedy: the same scores every time, unless Dropout runs
        pad_token_id=0,
        output_scores=True,
        return_dict_in_generate=True,
    )


out, again = generate(), generate()
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

# Training mode: Dropout runs, and two greedy calls score the same prompt differently.
alike = torch.equal(out.scores[0], again.scores[0])
assert not alike
model.eval()
assert torch.equal(generate().scores[0], generate().scores[0])  # eval: Dropout off
print("training mode, two calls give the same scores:", alike)
#> training mode, two calls give the same scores: False

# Gradients for the generated text: one ordinary forward pass over it.
logits = model(out.sequences).logits
assert logits.requires_grad and logits.grad_fn is not None
print("forward pass over the sequence, grad_fn:", logits.grad_fn is not None)
#> forward pass over the sequence, grad_fn: True
