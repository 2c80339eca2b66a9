"""Helpers shared by the tests: tiny seeded models, deterministic audio, padding."""

from pathlib import Path

import numpy as np
import torch

from xy_tokenizer.configuration_xy_tokenizer import XYTokenizerConfig
from xy_tokenizer.modeling_xy_tokenizer import XYTokenizerModel

DATA_DIR = Path(__file__).parent / "data"

# A 2 s window keeps long-audio tests cheap: 25 code frames per window.
TINY_SIZES = dict(
    hidden_size=32,
    num_attention_heads=2,
    intermediate_size=64,
    semantic_encoder_layers=1,
    semantic_adapter_layers=1,
    acoustic_encoder_layers=2,
    pre_rvq_adapter_layers=1,
    post_rvq_adapter_layers=1,
    acoustic_decoder_layers=1,
    num_quantizers=4,
    codebook_size=16,
    codebook_dim=8,
    vocos_hidden_size=32,
    vocos_intermediate_size=64,
    vocos_num_layers=2,
    max_audio_seconds=2,
    window_context_frames=5,
    original_window_overlap_frames=8,
)


def make_tiny_config(variant: str = "16k", **overrides) -> XYTokenizerConfig:
    return XYTokenizerConfig.from_variant(variant, **{**TINY_SIZES, **overrides})


def make_tiny_model(variant: str = "16k", seed: int = 0, **overrides) -> XYTokenizerModel:
    """A tiny model whose codebooks are spread around real residual statistics, so codes vary."""
    torch.manual_seed(seed)
    model = XYTokenizerModel(make_tiny_config(variant, **overrides)).eval()
    spread_codebooks(model, seed)
    return model


@torch.no_grad()
def spread_codebooks(model: XYTokenizerModel, seed: int = 0):
    """Set each stage's codebook from the quantizer inputs of random audio (random init would
    otherwise map everything to one code and make the tests blind)."""
    generator = torch.Generator().manual_seed(seed)
    audio = torch.randn(2, 1, 3 * model.config.samples_per_code * 8, generator=generator) * 0.1
    waveform, lengths = model._prepare_audio(audio, None)
    log_mel, mel_lengths = model.log_mel(waveform, lengths)
    semantic, enc_lengths = model.semantic_encoder(log_mel, mel_lengths)
    semantic, _ = model.semantic_encoder_adapter(semantic, enc_lengths)
    acoustic, _ = model.acoustic_encoder(log_mel, mel_lengths)
    fused, _ = model.pre_rvq_adapter(torch.cat([semantic, acoustic], 1), enc_lengths)
    packed, _ = model.downsample(fused, enc_lengths)
    residual = model.quantizer.input_proj(packed).transpose(1, 2).reshape(-1, model.config.codebook_dim)
    for quantizer in model.quantizer.quantizers:
        index = torch.randint(0, residual.shape[0], (quantizer.codebook_size,), generator=generator)
        noise = torch.randn(quantizer.codebook_size, quantizer.dim, generator=generator) * residual.std() * 0.3
        quantizer.codebook.copy_(residual[index] + noise)
        residual = residual - quantizer.embed(quantizer.nearest(residual))


def random_speechlike(num_samples: int, seed: int, sampling_rate: int = 16000) -> torch.Tensor:
    """Deterministic noise shaped by a slow envelope and a few harmonics: (num_samples,) float32."""
    rng = np.random.default_rng(seed)
    t = np.arange(num_samples) / sampling_rate
    f0 = rng.uniform(90, 220)
    harmonics = sum(np.sin(2 * np.pi * f0 * k * t + rng.uniform(0, 6)) / k for k in range(1, 6))
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * rng.uniform(1, 4) * t)
    audio = 0.1 * envelope * harmonics + 0.01 * rng.standard_normal(num_samples)
    return torch.from_numpy(audio.astype(np.float32))


def pad_batch(clips: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    """clips of (samples,) → input_values (batch, 1, max) and padding_mask (batch, max)."""
    length = max(len(c) for c in clips)
    values = torch.zeros(len(clips), 1, length)
    mask = torch.zeros(len(clips), length, dtype=torch.long)
    for row, clip in enumerate(clips):
        values[row, 0, : len(clip)] = clip
        mask[row, : len(clip)] = 1
    return values, mask


# Tiny sizes but the released 30 s window, for tests that run real clips through a saved folder.
FULL_WINDOW = dict(max_audio_seconds=30, window_context_frames=50, original_window_overlap_frames=125)


def save_tiny_model_folder(folder, variant: str = "16k", **overrides):
    """A tiny model saved as a user gets it: weights, both configs and the remote code."""
    from xy_tokenizer.conversion import save_with_remote_code
    from xy_tokenizer.feature_extraction_xy_tokenizer import XYTokenizerFeatureExtractor

    model = make_tiny_model(variant, **{**FULL_WINDOW, **overrides})
    save_with_remote_code(model, XYTokenizerFeatureExtractor.from_model_config(model.config), folder)
    return folder
