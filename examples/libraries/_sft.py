"""What the TRL examples share: a tiny Llama, a tokenizer and a dataset, all built here.

Nothing is downloaded: the tokenizer is a word-level `tokenizers` model of 11 words, 3 of
them special tokens, the dataset is `Dataset.from_dict`, and the model is made from a
config.
"""

import os

import datasets
from tokenizers import Tokenizer, models, pre_tokenizers
from transformers import LlamaConfig, PreTrainedTokenizerFast, PrinterCallback
from transformers.utils import logging as hf_logging
from trl import SFTConfig, SFTTrainer

# DeepSpeed, if installed, would print "Setting accelerator to CPU ..." without a GPU.
os.environ.setdefault("DS_ACCELERATOR", "cpu")
hf_logging.set_verbosity_error()  # no load reports or tips on stderr
hf_logging.disable_progress_bar()  # no loading bars
datasets.disable_progress_bars()  # no "Tokenizing train dataset" bars

WORDS = ["<pad>", "<eos>", "<unk>", "the", "cat", "dog", "sat", "ran", "on", "a", "mat"]
CONFIG = LlamaConfig(
    vocab_size=len(WORDS),
    hidden_size=16,
    intermediate_size=32,
    num_hidden_layers=2,
    num_attention_heads=2,
    num_key_value_heads=2,
)


def tokenizer() -> PreTrainedTokenizerFast:
    word_level = Tokenizer(
        models.WordLevel({w: i for i, w in enumerate(WORDS)}, unk_token="<unk>")
    )
    word_level.pre_tokenizer = pre_tokenizers.Whitespace()
    made = PreTrainedTokenizerFast(
        tokenizer_object=word_level,
        pad_token="<pad>",
        eos_token="<eos>",
        unk_token="<unk>",
    )
    assert made.vocab_size == 11 and len(made.all_special_tokens) == 3
    return made


def dataset() -> datasets.Dataset:
    texts = ["the cat sat on a mat", "a dog ran", "the dog sat", "a cat ran on the mat"]
    return datasets.Dataset.from_dict({"text": texts})


def sft_trainer(model, folder: str, peft_config=None, **options) -> SFTTrainer:
    """An SFTTrainer for two steps of two texts each, SFTConfig's defaults otherwise."""
    args = SFTConfig(
        output_dir=folder,  # a temporary folder; nothing is saved (save_strategy)
        max_steps=2,
        per_device_train_batch_size=2,
        per_device_eval_batch_size=2,
        logging_steps=1,  # log grad_norm at every step
        bf16=False,  # the default None becomes True (not fp16): float32 everywhere
        report_to="none",
        save_strategy="no",
        disable_tqdm=True,
        dataloader_pin_memory=False,
        **options,
    )
    trainer = SFTTrainer(
        model=model,
        args=args,
        train_dataset=dataset(),
        eval_dataset=dataset(),
        processing_class=tokenizer(),
        peft_config=peft_config,
    )
    trainer.remove_callback(PrinterCallback)  # it prints the logged metrics
    return trainer


def grad_norms(trainer: SFTTrainer) -> list[float]:
    """The grad_norm that Trainer logged at each step."""
    return [log["grad_norm"] for log in trainer.state.log_history if "grad_norm" in log]
