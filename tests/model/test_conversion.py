"""Converter: explicit key mapping, strict checks, nothing written on failure, CLI."""

import argparse
import json
import pickle

import pytest
import torch
import yaml
from helpers import DATA_DIR

from xy_tokenizer.cli import main as cli_main
from xy_tokenizer.conversion import ConversionError, convert_checkpoint, load_original_state_dict, rename_key

ORIGINAL = DATA_DIR / "parity" / "16k"
ORIGINAL_32K = DATA_DIR / "parity" / "32k"


def write_checkpoint(path, state_dict, wrap=True):
    torch.save({"generator": state_dict} if wrap else state_dict, path)
    return path


def test_rename_table():
    assert rename_key("enhanced_vocos.head.out.weight") == "vocos.head.out.weight"
    assert rename_key("quantizer.input_proj.weight_g") == "quantizer.input_proj.parametrizations.weight.original0"
    assert rename_key("quantizer.output_proj.weight_v") == "quantizer.output_proj.parametrizations.weight.original1"
    assert rename_key("post_rvq_adapter.positional_embedding.weight") == "post_rvq_adapter.positional_embedding"
    assert rename_key("acoustic_decoder.layers.0.fc1.weight") == "acoustic_decoder.layers.0.fc1.weight"


def test_converted_folder_contents(tmp_path):
    out = convert_checkpoint(ORIGINAL / "generator.ckpt", ORIGINAL / "config.yaml", tmp_path / "model")
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["config.json", "model.safetensors", "preprocessor_config.json", "configuration_xy_tokenizer.py",
                            "feature_extraction_xy_tokenizer.py", "modeling_xy_tokenizer.py"])  # fmt: skip
    config = json.loads((out / "config.json").read_text())
    assert config["model_type"] == "xy_tokenizer" and config["hidden_size"] == 64
    assert config["auto_map"] == {
        "AutoConfig": "configuration_xy_tokenizer.XYTokenizerConfig",
        "AutoModel": "modeling_xy_tokenizer.XYTokenizerModel",
    }
    preprocessor = json.loads((out / "preprocessor_config.json").read_text())
    assert preprocessor["sampling_rate"] == 16000
    assert preprocessor["auto_map"] == {"AutoFeatureExtractor": "feature_extraction_xy_tokenizer.XYTokenizerFeatureExtractor"}


def test_bare_state_dict_and_hf_style_keys_are_accepted(tmp_path):
    state = load_original_state_dict(ORIGINAL_32K / "generator.ckpt")
    assert any(k.startswith("enhanced_vocos.") for k in state)
    hf_style = {}
    for key, value in state.items():
        key = key.replace(".weight_g", ".parametrizations.weight.original0").replace(".weight_v", ".parametrizations.weight.original1")
        if key.endswith("positional_embedding"):
            key += ".weight"
        hf_style[key] = value.reshape(()) if key.endswith(".inited") else value
    checkpoint = write_checkpoint(tmp_path / "bare.ckpt", hf_style, wrap=False)
    convert_checkpoint(checkpoint, ORIGINAL_32K / "config.yaml", tmp_path / "out")


@pytest.mark.parametrize(
    "mutate, match",
    [
        (lambda s: s.pop("downsample.up_proj.weight"), "missing key downsample.up_proj.weight"),
        (lambda s: s.__setitem__("discriminator.conv.weight", torch.zeros(1)), "unexpected key discriminator.conv.weight"),
        (lambda s: s.__setitem__("vocos.head.out.bias", torch.zeros(5)), r"vocos.head.out.bias: shape \(5,\)"),
    ],
)
def test_mismatches_fail_without_writing(tmp_path, mutate, match):
    state = load_original_state_dict(ORIGINAL / "generator.ckpt")
    mutate(state)
    checkpoint = write_checkpoint(tmp_path / "broken.ckpt", state)
    with pytest.raises(ConversionError, match=match):
        convert_checkpoint(checkpoint, ORIGINAL / "config.yaml", tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["broken.ckpt"], "no staging leftovers"


def test_wrong_variant_config_is_refused(tmp_path):
    with pytest.raises(ConversionError, match="vocos.head.out.weight"):
        convert_checkpoint(ORIGINAL / "generator.ckpt", ORIGINAL_32K / "config.yaml", tmp_path / "out")


def test_inconsistent_yaml_is_refused(tmp_path):
    params = yaml.safe_load((ORIGINAL / "config.yaml").read_text())
    params["generator_params"]["acoustic_encoder_kwargs"]["d_model"] = 128
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(params))
    with pytest.raises(ValueError, match="hidden_size"):
        convert_checkpoint(ORIGINAL / "generator.ckpt", tmp_path / "bad.yaml", tmp_path / "out")


def test_existing_output_folder_is_not_overwritten(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("precious")
    with pytest.raises(FileExistsError):
        convert_checkpoint(ORIGINAL / "generator.ckpt", ORIGINAL / "config.yaml", tmp_path / "out")
    assert (tmp_path / "out" / "keep.txt").read_text() == "precious"
    convert_checkpoint(ORIGINAL / "generator.ckpt", ORIGINAL / "config.yaml", tmp_path / "out", overwrite=True)
    assert not (tmp_path / "out" / "keep.txt").exists()


def test_arbitrary_pickled_objects_are_not_loaded(tmp_path):
    torch.save({"generator": {"x": argparse.Namespace(code="anything")}}, tmp_path / "evil.ckpt")
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
        load_original_state_dict(tmp_path / "evil.ckpt")


def test_cli_convert(tmp_path, capsys):
    args = ["convert", "--checkpoint", str(ORIGINAL / "generator.ckpt"), "--config", str(ORIGINAL / "config.yaml")]
    assert cli_main([*args, "--output-dir", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "model.safetensors").is_file()
    assert cli_main([*args, "--output-dir", str(tmp_path / "out")]) == 2
    assert "not empty" in capsys.readouterr().err
