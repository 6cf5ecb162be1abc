import os
import tempfile

import torch
from transformers import (
    LlamaConfig,
    LlamaForCausalLM,
    PrinterCallback,
    Trainer,
    TrainingArguments,
)
from transformers.utils import logging as hf_logging

# DeepSpeed, if installed, would print "Setting accelerator to CPU ..." without a GPU.
os.environ.setdefault("DS_ACCELERATOR", "cpu")
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
model = LlamaForCausalLM(config)
model.model.embed_tokens.eval()  # a submodule you put in eval mode yourself

seen = {}  # phase -> (model.training, embeddings.training, grad mode, inference mode)
phase = "train"


def record(module, args, output):
    seen.setdefault(
        phase,
        (
            model.training,
            model.model.embed_tokens.training,
            torch.is_grad_enabled(),
            torch.is_inference_mode_enabled(),
        ),
    )


model.lm_head.register_forward_hook(record)
data = [{"input_ids": torch.randint(0, 64, (8,))} for _ in range(4)]
for row in data:
    row["labels"] = row["input_ids"]

with tempfile.TemporaryDirectory() as folder:
    args = TrainingArguments(
        output_dir=folder,
        max_steps=1,
        per_device_train_batch_size=2,
        per_device_eval_batch_size=2,
        report_to="none",
        save_strategy="no",
        disable_tqdm=True,
        dataloader_pin_memory=False,
        train_sampling_strategy="sequential",  # batches in order, no random sampler
    )
    trainer = Trainer(model=model, args=args, train_dataset=data, eval_dataset=data)
    trainer.remove_callback(PrinterCallback)  # it prints the logged metrics
    trainer.train()
    phase = "evaluate"
    trainer.evaluate()
    after_evaluate = model.training
    phase = "predict"
    trainer.predict(data)

for name, state in seen.items():
    print(name, "(model, embeddings, grad, inference):", state)
    #> train (model, embeddings, grad, inference): (True, True, True, False)
    #> evaluate (model, embeddings, grad, inference): (False, False, False, False)
    #> predict (model, embeddings, grad, inference): (False, False, False, False)
assert seen["train"] == (True, True, True, False)  # model.train() reset the embeddings
assert seen["evaluate"] == seen["predict"] == (False, False, False, False)
assert not after_evaluate  # evaluate() leaves the model in eval mode
print("training after evaluate():", after_evaluate)
#> training after evaluate(): False
