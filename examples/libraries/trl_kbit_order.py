import contextlib
import copy
import logging
import tempfile
import warnings

import torch
from _sft import CONFIG, grad_norms, sft_trainer
from peft import LoraConfig, get_peft_model, prepare_model_for_kbit_training
from transformers import LlamaForCausalLM
from transformers.utils import logging as hf_logging

TOKENIZER_WARNING = "The tokenizer has new PAD/BOS/EOS tokens"


def lora_weights(model) -> dict[str, torch.Tensor]:
    return {n: p.detach().clone() for n, p in model.named_parameters() if "lora_" in n}


def prepared(order: str):
    torch.manual_seed(0)
    base = LlamaForCausalLM(copy.deepcopy(CONFIG))  # SFTTrainer changes the config
    lora = LoraConfig(r=2, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
    if order == "prepare, then get_peft_model":
        return get_peft_model(prepare_model_for_kbit_training(base), lora)
    # The PeftModel is prepared: every parameter, LoRA too, is frozen.
    return prepare_model_for_kbit_training(get_peft_model(base, lora))


@contextlib.contextmanager
def logs():
    """What is logged at WARNING or above meanwhile; and no Python warning. TRL, PEFT
    and accelerate log to the root logger; transformers to its own, set back to its
    default level here (_sft.py sets ERROR) and kept off stderr."""
    found: list[str] = []
    seen: list[logging.LogRecord] = []

    def emit(record: logging.LogRecord) -> None:
        # With CI=true in the environment, transformers' logger propagates to the root
        # logger, so one record reaches this handler twice: count it once.
        if all(record is not other for other in seen):
            seen.append(record)
            found.append(record.getMessage())

    handler = logging.Handler(logging.WARNING)
    handler.emit = emit
    loggers = [logging.getLogger(), hf_logging.get_logger("transformers")]
    hf_logging.set_verbosity_warning()
    hf_logging.disable_default_handler()
    for logger in loggers:
        logger.addHandler(handler)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield found
    assert not caught, [str(w.message) for w in caught]  # no Python warning
    for logger in loggers:
        logger.removeHandler(handler)
    hf_logging.enable_default_handler()
    hf_logging.set_verbosity_error()


def train(order: str) -> tuple[int, list[float], bool, list[str]]:
    """(trainable parameters, grad_norm of each step, LoRA weights changed, logged)."""
    model = prepared(order)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    before = lora_weights(model)
    with tempfile.TemporaryDirectory() as folder, logs() as logged:
        trainer = sft_trainer(model, folder, learning_rate=1e-2)
        trainer.train()  # no error either way
    after = lora_weights(model)
    changed = any(not torch.equal(before[n], after[n]) for n in before)
    return trainable, grad_norms(trainer), changed, logged


right = train("prepare, then get_peft_model")
wrong = train("get_peft_model, then prepare")
print("prepare, then get_peft_model: trainable", right[0], "| changed", right[2])
#> prepare, then get_peft_model: trainable 256 | changed True
print("get_peft_model, then prepare: trainable", wrong[0], "| changed", wrong[2])
#> get_peft_model, then prepare: trainable 0 | changed False
print("grad_norm of each step, wrong order:", wrong[1])
#> grad_norm of each step, wrong order: [0.0, 0.0]
assert right[0] == 256 and all(norm > 0 for norm in right[1]) and right[2]
assert wrong[:3] == (0, [0.0, 0.0], False)  # training "runs", and nothing learns
# No error, and nothing warns that nothing is trainable: the one message, logged by
# transformers, says that the model's config was given the tokenizer's special tokens.
for logged in (right[3], wrong[3]):
    assert [message[:40] for message in logged] == [TOKENIZER_WARNING], logged


# Why no error: with gradient checkpointing (SFTConfig's default) the embeddings' output
# requires grad, and so does the loss. enable_input_require_grads() adds that hook:
# SFTTrainer calls it for a PeftModel, and transformers'
# gradient_checkpointing_enable(), which Trainer.train() calls, calls it again for a
# model whose main input is input_ids.
def input_hook(model) -> bool:
    return model.get_input_embeddings()(torch.tensor([[3, 4]])).requires_grad


model = prepared("get_peft_model, then prepare")
assert not input_hook(model)
with tempfile.TemporaryDirectory() as folder:
    sft_trainer(model, folder)
by_sft_trainer = input_hook(model)
plain = LlamaForCausalLM(copy.deepcopy(CONFIG)).requires_grad_(False)  # frozen too
assert plain.main_input_name == "input_ids" and not input_hook(plain)
plain.gradient_checkpointing_enable()
by_transformers = input_hook(plain)
print(
    "input hook from SFTTrainer():",
    by_sft_trainer,
    "| from gradient_checkpointing_enable():",
    by_transformers,
)
#> input hook from SFTTrainer(): True | from gradient_checkpointing_enable(): True
assert by_sft_trainer and by_transformers

# Without gradient checkpointing, the same frozen model fails at its first backward.
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
