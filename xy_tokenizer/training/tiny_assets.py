"""Tiny stand-ins for the pretrained pieces, built locally: a random Whisper of the codec's size and a
random Qwen2 causal LM with a byte-level BPE tokenizer trained on the corpus transcripts.

They let the whole pipeline (Whisper weight loading, the frozen-LLM ASR loss) run in tests and in the
tiny recipes without any download. Both are saved with ``save_pretrained`` so that the training code
loads them exactly like ``openai/whisper-small`` and ``Qwen/Qwen2.5-0.5B``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import (
    PreTrainedTokenizerFast,
    Qwen2Config,
    Qwen2ForCausalLM,
    WhisperConfig,
    WhisperForConditionalGeneration,
)

from ..configuration_xy_tokenizer import XYTokenizerConfig

END_OF_TEXT = "<|endoftext|>"  # Qwen2.5 base: EOS and padding token


def build_tiny_whisper(folder: str | Path, codec_config: XYTokenizerConfig, seed: int = 0) -> Path:
    """A random ``WhisperForConditionalGeneration`` whose encoder matches the codec's encoders."""
    folder = Path(folder)
    if (folder / "config.json").is_file():
        return folder
    layers = {codec_config.semantic_encoder_layers, codec_config.acoustic_encoder_layers}
    if len(layers) != 1:
        raise ValueError(
            "A tiny Whisper initialises both encoders, so they need the same number of layers, but got "
            f"semantic={codec_config.semantic_encoder_layers}, acoustic={codec_config.acoustic_encoder_layers}"
        )
    config = WhisperConfig(
        vocab_size=64,
        num_mel_bins=codec_config.num_mel_bins,
        d_model=codec_config.hidden_size,
        encoder_layers=layers.pop(),
        encoder_attention_heads=codec_config.num_attention_heads,
        encoder_ffn_dim=codec_config.intermediate_size,
        decoder_layers=1,
        decoder_attention_heads=codec_config.num_attention_heads,
        decoder_ffn_dim=codec_config.intermediate_size,
        max_source_positions=codec_config.max_encoder_positions,
        max_target_positions=16,
        pad_token_id=0,
        bos_token_id=1,
        eos_token_id=2,
        decoder_start_token_id=1,
    )
    with torch.random.fork_rng(devices=[]):  # leave the caller's random stream untouched
        torch.manual_seed(seed)
        WhisperForConditionalGeneration(config).save_pretrained(folder)
    return folder


def train_tiny_tokenizer(texts: Iterable[str], vocab_size: int = 384) -> PreTrainedTokenizerFast:
    """Byte-level BPE (Qwen's tokenizer family) trained on ``texts``; EOS = pad = ``<|endoftext|>``."""
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=[END_OF_TEXT],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(list(texts), trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer, eos_token=END_OF_TEXT, pad_token=END_OF_TEXT)


def build_tiny_qwen2(
    folder: str | Path,
    texts: list[str],
    hidden_size: int = 64,
    layers: int = 2,
    vocab_size: int = 384,
    initializer_range: float = 0.02,
    pretrain_steps: int = 0,
    seed: int = 0,
) -> Path:
    """A random ``Qwen2ForCausalLM`` plus its tokenizer in ``folder`` (reused if already there).

    With the usual ``initializer_range`` of 0.02 the tied embeddings of a tiny random model are so short
    that its logits cannot move far from uniform whatever the input, so no adapter can lower its loss
    much; a larger range gives embeddings of the length a trained LM has. ``pretrain_steps`` > 0 first
    trains it as a plain text LM on ``texts`` — a stand-in for a pretrained Qwen2.5, which is what the
    stage-1 ASR loss assumes (the LLM stays frozen during codec training either way)."""
    folder = Path(folder)
    if (folder / "config.json").is_file() and (folder / "tokenizer.json").is_file():
        return folder
    tokenizer = train_tiny_tokenizer(texts, vocab_size)
    heads = max(1, hidden_size // 16)
    config = Qwen2Config(
        vocab_size=len(tokenizer),
        hidden_size=hidden_size,
        intermediate_size=2 * hidden_size,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        num_key_value_heads=1 if heads % 2 else 2,
        max_position_embeddings=1024,
        tie_word_embeddings=True,
        initializer_range=initializer_range,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=None,
    )
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        llm = Qwen2ForCausalLM(config)
        pretrain_text_lm(llm, tokenizer, texts, pretrain_steps)
        llm.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def pretrain_text_lm(
    llm: Qwen2ForCausalLM, tokenizer, texts: list[str], steps: int, batch_size: int = 16, learning_rate: float = 3e-3
) -> None:
    """Next-token training of ``llm`` on ``texts`` (each followed by EOS) for ``steps`` AdamW steps."""
    if steps <= 0:
        return
    rows = [tokenizer(text, add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id] for text in texts]
    optimizer = torch.optim.AdamW(llm.parameters(), lr=learning_rate)
    llm.train()
    for _ in range(steps):
        batch = [rows[int(i)] for i in torch.randint(len(rows), (batch_size,))]
        width = max(len(row) for row in batch)
        ids = torch.full((len(batch), width), tokenizer.pad_token_id, dtype=torch.long)
        labels = torch.full_like(ids, -100)
        for index, row in enumerate(batch):
            ids[index, : len(row)] = torch.tensor(row)
            labels[index, : len(row)] = torch.tensor(row)
        loss = llm(input_ids=ids, attention_mask=(labels != -100).long(), labels=labels).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    llm.eval()
