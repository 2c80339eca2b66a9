"""Initialising the codec encoders from a transformers Whisper checkpoint."""

import pytest
import torch
from training.tiny_training import tiny_codec_config
from transformers import WhisperConfig, WhisperForConditionalGeneration, WhisperModel

from xy_tokenizer.modeling_xy_tokenizer import XYTokenizerModel
from xy_tokenizer.training.tiny_assets import build_tiny_whisper
from xy_tokenizer.training.whisper_init import initialize_encoders_from_whisper


def test_both_encoders_get_every_whisper_encoder_weight(tmp_path):
    config = tiny_codec_config()
    folder = build_tiny_whisper(tmp_path / "whisper", config)
    codec = XYTokenizerModel(config)
    initialize_encoders_from_whisper(codec, str(folder))
    whisper = WhisperForConditionalGeneration.from_pretrained(folder).model.encoder.state_dict()
    for name in ("semantic_encoder", "acoustic_encoder"):
        state = getattr(codec, name).state_dict()
        for key, value in whisper.items():
            if key != "embed_positions.weight":
                assert torch.equal(state[key], value), (name, key)


def small_whisper_config(**sizes) -> WhisperConfig:
    tokens = dict(vocab_size=16, pad_token_id=0, bos_token_id=1, eos_token_id=2, decoder_start_token_id=1)
    decoder = dict(decoder_layers=1, decoder_attention_heads=2, decoder_ffn_dim=8, encoder_attention_heads=2)
    return WhisperConfig(**tokens, **decoder, **sizes)


def test_whisper_model_instance_and_one_encoder_only():
    config = tiny_codec_config()
    whisper = WhisperModel(small_whisper_config(
        d_model=config.hidden_size, encoder_layers=1, encoder_ffn_dim=config.intermediate_size
    ))  # fmt: skip
    codec = XYTokenizerModel(config)
    acoustic_before = codec.acoustic_encoder.conv1.weight.clone()
    initialize_encoders_from_whisper(codec, whisper, ("semantic_encoder",))
    assert torch.equal(codec.semantic_encoder.conv1.weight, whisper.encoder.conv1.weight)
    assert torch.equal(codec.acoustic_encoder.conv1.weight, acoustic_before)


def test_mismatched_sizes_are_refused_with_the_reason():
    whisper = WhisperModel(small_whisper_config(d_model=48, encoder_layers=1, encoder_ffn_dim=64))
    with pytest.raises(ValueError, match="does not fit semantic_encoder"):
        initialize_encoders_from_whisper(XYTokenizerModel(tiny_codec_config()), whisper)
