"""Tiny, seeded training set-ups shared by the trainer tests (imported as ``training.tiny_training``)."""

from __future__ import annotations

from pathlib import Path

import torch

from xy_tokenizer.configuration_xy_tokenizer import XYTokenizerConfig
from xy_tokenizer.modeling_xy_tokenizer import XYTokenizerModel
from xy_tokenizer.training.build import build_trainer
from xy_tokenizer.training.recipe import recipe_from_dict
from xy_tokenizer.training.tiny_corpus import build_tiny_corpus

SPEECH_DIR = Path(__file__).resolve().parents[1] / "data" / "speech"

TINY_CODEC = dict(
    codec_hidden_size=32,
    codec_num_attention_heads=2,
    codec_intermediate_size=64,
    codec_semantic_encoder_layers=1,
    codec_semantic_adapter_layers=1,
    codec_acoustic_encoder_layers=1,
    codec_pre_rvq_adapter_layers=1,
    codec_post_rvq_adapter_layers=1,
    codec_acoustic_decoder_layers=1,
    codec_num_quantizers=2,
    codec_codebook_size=16,
    codec_codebook_dim=8,
    codec_vocos_hidden_size=32,
    codec_vocos_intermediate_size=64,
    codec_vocos_num_layers=1,
    codec_max_audio_seconds=2,
    codec_window_context_frames=5,
    codec_original_window_overlap_frames=8,
)

TINY_DISCRIMINATORS = dict(
    discriminators=["multi_period", "multi_resolution_stft"],
    mpd_periods=[2, 3],
    mpd_channels=[4, 8],
    stft_fft_sizes=[256, 128],
    stft_channels=4,
    stft_num_strided_layers=1,
    stft_band_edges=[0.0, 0.5, 1.0],
)


def tone_corpus(folder: Path, size: int = 10) -> tuple[Path, Path]:
    """A synthetic 'tone language' corpus with transcripts (no espeak-ng needed)."""
    return build_tiny_corpus(folder, size=size, engine="tones", eval_fraction=0.2)


def tiny_codec_config() -> XYTokenizerConfig:
    return XYTokenizerConfig(**{name[len("codec_") :]: value for name, value in TINY_CODEC.items()})


@torch.no_grad()
def stage1_model_folder(folder: Path, seed: int = 0) -> Path:
    """A tiny codec whose codebooks were k-means initialised on speech-like input, saved for stage 2."""
    torch.manual_seed(seed)
    codec = XYTokenizerModel(tiny_codec_config()).train()
    audio = torch.randn(2, 1, 4 * 1280) * 0.1
    with torch.enable_grad():
        codec(input_values=audio)  # train mode + grad: k-means init of every stage
    codec.eval().save_pretrained(folder)
    return folder


def recipe_values(tmp_path: Path, stage: int, **overrides) -> dict:
    """Flat recipe values of a tiny run in ``tmp_path`` (corpus built once per test directory)."""
    train, evaluation = tone_corpus(tmp_path / "corpus")
    values = dict(
        stage=stage,
        output_dir=str(tmp_path / f"run-stage{stage}"),
        tiny_assets_dir=str(tmp_path / "assets"),
        dataset_name="csv",
        train_files=[str(train)],
        eval_files=[str(evaluation)],
        per_device_train_batch_size=2,
        per_device_eval_batch_size=2,
        max_steps=2,
        learning_rate=1e-3,
        warmup_steps=0,
        logging_steps=1,
        save_strategy="no",
        eval_strategy="no",
        report_to="none",
        disable_tqdm=True,
        use_cpu=True,
        seed=0,
        dataloader_num_workers=0,
        num_sample_clips=0,
        **TINY_CODEC,
    )
    if stage == 1:
        values.update(
            whisper_name_or_path="build:tiny",
            llm_name_or_path="build:tiny-qwen2",
            tiny_llm_hidden_size=32,
            tiny_llm_layers=1,
            tiny_llm_vocab_size=300,
            lambda_mel=15.0, lambda_asr=1.0, lambda_commitment=1.0, lambda_adv=0.0, lambda_fm=0.0,
        )  # fmt: skip
    else:
        values.update(
            model_name_or_path=str(stage1_model_folder(tmp_path / "stage1-model")),
            text_column=None,
            crop_seconds=0.5,
            lambda_mel=45.0, lambda_adv=1.0, lambda_fm=2.0, lambda_asr=0.0, lambda_commitment=0.0,
            **TINY_DISCRIMINATORS,
        )  # fmt: skip
    values.update(overrides)
    return values


def tiny_trainer(tmp_path: Path, stage: int, **overrides):
    return build_trainer(recipe_from_dict(recipe_values(tmp_path, stage, **overrides)))


def state_snapshot(module: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {name: tensor.detach().clone() for name, tensor in module.state_dict().items()}


def changed(before: dict[str, torch.Tensor], after: dict[str, torch.Tensor], prefix: str = "") -> list[str]:
    return [name for name in before if name.startswith(prefix) and not torch.equal(before[name], after[name])]
