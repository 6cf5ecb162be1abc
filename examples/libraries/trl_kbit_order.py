import tempfile
import warnings

import torch
from _sft import CONFIG, grad_norms, sft_trainer
from peft import LoraConfig, get_peft_model, prepare_model_for_kbit_training
from transformers import LlamaForCausalLM


def lora_weights(model) -> dict[str, torch.Tensor]:
    return {n: p.detach().clone() for n, p in model.named_parameters() if "lora_" in n}


def prepared(order: str):
    torch.manual_seed(0)
    base = LlamaForCausalLM(CONFIG)
    lora = LoraConfig(r=2, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
    if order == "prepare, then get_peft_model":
        return get_peft_model(prepare_model_for_kbit_training(base), lora)
    # The PeftModel is prepared: every parameter, LoRA too, is frozen.
    return prepare_model_for_kbit_training(get_peft_model(base, lora))


def train(order: str) -> tuple[int, list[float], bool]:
    """(trainable parameters, grad_norm of each step, LoRA weights changed)."""
    model = prepared(order)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    before = lora_weights(model)
    with (
        tempfile.TemporaryDirectory() as folder,
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        trainer = sft_trainer(model, folder, learning_rate=1e-2)
        trainer.train()  # no error either way
    assert not caught, [str(w.message) for w in caught]  # and no warning
    after = lora_weights(model)
    changed = any(not torch.equal(before[n], after[n]) for n in before)
    return trainable, grad_norms(trainer), changed


right = train("prepare, then get_peft_model")
wrong = train("get_peft_model, then prepare")
print("prepare, then get_peft_model: trainable", right[0], "| changed", right[2])
#> prepare, then get_peft_model: trainable 256 | changed True
print("get_peft_model, then prepare: trainable", wrong[0], "| changed", wrong[2])
#> get_peft_model, then prepare: trainable 0 | changed False
print("grad_norm of each step, wrong order:", wrong[1])
#> grad_norm of each step, wrong order: [0.0, 0.0]
assert right[0] == 256 and all(norm > 0 for norm in right[1]) and right[2]
assert wrong == (0, [0.0, 0.0], False)  # training "runs", and nothing learns

# Why no error: with gradient checkpointing (SFTConfig's default) SFTTrainer calls
# enable_input_require_grads(), so the loss requires grad through the embeddings'
# output. Without it, the same frozen model fails at its first backward.
model = prepared("get_peft_model, then prepare")
with tempfile.TemporaryDirectory() as folder:
    trainer = sft_trainer(model, folder, gradient_checkpointing=False)
    try:
        trainer.train()
    except RuntimeError as error:
        message = str(error)
    else:
        raise AssertionError("a model with no trainable parameter trained")
assert message.startswith("element 0 of tensors does not require grad")
print("gradient_checkpointing=False:", message)
"""
gradient_checkpointing=False: element 0 of tensors does not require grad and does not have a grad_fn
"""
