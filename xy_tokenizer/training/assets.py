"""Resolve ``build:`` recipe values into local folders (tiny corpus, tiny Whisper, tiny LLM)."""

from __future__ import annotations

from pathlib import Path

from ..configuration_xy_tokenizer import XYTokenizerConfig
from .arguments import BUILD_PREFIX, DataArguments, LLMArguments, ModelArguments
from .tiny_assets import build_tiny_qwen2, build_tiny_whisper
from .tiny_corpus import build_tiny_corpus, transcripts

TINY_SPEECH, TINY_WHISPER, TINY_QWEN2 = "build:tiny-speech", "build:tiny", "build:tiny-qwen2"


def _check(value: str, known: str, field: str) -> None:
    if value != known:
        raise ValueError(f"{field}={value!r}: the only buildable value is {known!r}")


def resolve_tiny_data(data: DataArguments, model: ModelArguments, seed: int) -> None:
    """Replace ``dataset_name='build:tiny-speech'`` by the CSV manifests of a corpus built (once) locally."""
    if data.dataset_name is None or not data.dataset_name.startswith(BUILD_PREFIX):
        return
    _check(data.dataset_name, TINY_SPEECH, "dataset_name")
    folder = Path(model.tiny_assets_dir) / f"speech-{data.tiny_corpus_engine}-{data.tiny_corpus_size}-seed{seed}"
    train, evaluation = build_tiny_corpus(
        folder, data.tiny_corpus_size, data.tiny_corpus_engine, data.tiny_corpus_extra_audio, seed
    )
    data.dataset_name, data.train_files, data.eval_files = "csv", [str(train)], [str(evaluation)]
    data.audio_root = data.audio_root or str(folder)


def resolve_whisper(model: ModelArguments, codec_config: XYTokenizerConfig) -> str | None:
    """The Whisper checkpoint to initialise the encoders from (building a tiny one if asked)."""
    value = model.whisper_name_or_path
    if value is None or not value.startswith(BUILD_PREFIX):
        return value
    _check(value, TINY_WHISPER, "whisper_name_or_path")
    size = f"d{codec_config.hidden_size}-l{codec_config.semantic_encoder_layers}"
    return str(build_tiny_whisper(Path(model.tiny_assets_dir) / f"whisper-{size}", codec_config))


def resolve_llm(llm: LLMArguments, model: ModelArguments, data: DataArguments) -> str:
    """The causal LM to load (building a tiny Qwen2 + tokenizer on the corpus transcripts if asked)."""
    value = llm.llm_name_or_path
    if not value.startswith(BUILD_PREFIX):
        return value
    _check(value, TINY_QWEN2, "llm_name_or_path")
    if not data.train_files or not str(data.train_files[0]).endswith(".csv"):
        raise ValueError(
            "'build:tiny-qwen2' trains its tokenizer on a CSV corpus: use dataset_name='build:tiny-speech'"
        )
    texts = transcripts(data.train_files[0])
    if not texts:
        raise ValueError(f"No transcripts in {data.train_files[0]} to train the tiny tokenizer on")
    name = (
        f"qwen2-h{llm.tiny_llm_hidden_size}-l{llm.tiny_llm_layers}-v{llm.tiny_llm_vocab_size}"
        f"-i{llm.tiny_llm_initializer_range:g}-p{llm.tiny_llm_pretrain_steps}"
    )
    folder = Path(data.train_files[0]).parent / name
    return str(build_tiny_qwen2(
        folder, texts, llm.tiny_llm_hidden_size, llm.tiny_llm_layers, llm.tiny_llm_vocab_size,
        llm.tiny_llm_initializer_range, llm.tiny_llm_pretrain_steps,
    ))  # fmt: skip
