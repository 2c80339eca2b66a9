"""XYTokenizerConfig: presets, derived sizes, original YAML loading, serialisation."""

import pytest
import yaml
from helpers import DATA_DIR

from xy_tokenizer.configuration_xy_tokenizer import XYTokenizerConfig
from xy_tokenizer.conversion import load_original_config


@pytest.mark.parametrize("variant, rate, out_hop", [("16k", 16000, 1280), ("24k", 24000, 1920), ("32k", 32000, 2560)])
def test_released_presets(variant, rate, out_hop):
    config = XYTokenizerConfig.from_variant(variant)
    assert config.output_sampling_rate == rate and config.output_samples_per_code == out_hop
    assert config.samples_per_code == 1280 and config.frame_rate == 12.5 and config.bitrate == 1000.0
    assert config.max_code_frames == 375 and config.max_encoder_positions == 1500 and config.max_mel_frames == 3000
    assert config.vocos_n_fft == 4 * config.vocos_hop_length
    assert config.hidden_size == 768 and config.codebook_size == 1024 and config.num_quantizers == 8


def test_released_parameter_count_matches_state_dict_spec():
    """STATE_DICT.md §5: 519,621,074 parameters for the 16 kHz model (counted on the meta device)."""
    import torch

    from xy_tokenizer.modeling_xy_tokenizer import XYTokenizerModel

    with torch.device("meta"):
        model = XYTokenizerModel(XYTokenizerConfig.from_variant("16k"))
    assert sum(p.numel() for p in model.parameters()) == 519_621_074
    assert len(model.state_dict()) == 1079


@pytest.mark.parametrize("variant", ["16k", "24k", "32k"])
def test_original_yaml_loader(variant):
    config = load_original_config(DATA_DIR / "parity" / variant / "config.yaml")
    assert config.hidden_size == 64 and config.codebook_size == 64 and config.codebook_dim == 32
    assert config.output_sampling_rate == {"16k": 16000, "24k": 24000, "32k": 32000}[variant]
    assert config.semantic_encoder_layers == 2 and config.semantic_adapter_layers == 1


def test_yaml_with_unrepresentable_sizes_is_refused(tmp_path):
    params = yaml.safe_load((DATA_DIR / "parity" / "16k" / "config.yaml").read_text())["generator_params"]
    params["post_rvq_adapter_kwargs"]["max_source_positions"] = 400
    with pytest.raises(ValueError, match="max_source_positions"):
        XYTokenizerConfig.from_original_generator_params(params)
    del params["vocos_kwargs"]
    with pytest.raises(ValueError, match="vocos_kwargs"):
        XYTokenizerConfig.from_original_generator_params(params)


@pytest.mark.parametrize(
    "overrides, match",
    [
        (dict(hidden_size=30, num_attention_heads=4), "divisible"),
        (dict(vocos_n_fft=100, vocos_hop_length=160), "vocos_n_fft"),
        (dict(window_context_frames=200), "Window contexts"),
        (dict(max_audio_seconds=1, mel_hop_length=170), "whole number of code frames"),
    ],
)
def test_invalid_sizes_are_refused(overrides, match):
    with pytest.raises(ValueError, match=match):
        XYTokenizerConfig(**overrides)


def test_unknown_variant():
    with pytest.raises(ValueError, match="variant"):
        XYTokenizerConfig.from_variant("48k")


def test_save_load_round_trip(tmp_path):
    config = XYTokenizerConfig.from_variant("24k", hidden_size=64, num_attention_heads=4)
    config.save_pretrained(tmp_path)
    loaded = XYTokenizerConfig.from_pretrained(tmp_path)
    assert loaded.to_dict() == config.to_dict()
    assert loaded.output_samples_per_code == 1920
