"""`xy-tokenizer encode` / `decode` on real clips at other rates, through a saved model folder."""

import shutil

import numpy as np
import pytest
import soundfile
from helpers import DATA_DIR, save_tiny_model_folder

from xy_tokenizer.cli import main
from xy_tokenizer.files import load_codes


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    return save_tiny_model_folder(tmp_path_factory.mktemp("model"), "24k")


@pytest.mark.parametrize("code_format", ["npy", "safetensors"])
def test_encode_decode_folder(tmp_path, model_dir, code_format):
    clips = tmp_path / "clips" / "nested"
    clips.mkdir(parents=True)
    for name in ("xy_2.flac", "moss_m1.wav"):
        shutil.copy(DATA_DIR / "speech" / name, clips / name)
    argv = ["encode", str(model_dir), str(tmp_path / "clips"), "--output-dir", str(tmp_path / "codes")]
    assert main([*argv, "--format", code_format, "--num-quantizers", "3", "--no-progress"]) == 0
    for name, rate in (("xy_2", 16000), ("moss_m1", 24000)):
        codes = load_codes(tmp_path / "codes" / "nested" / f"{name}.{code_format}")
        samples_16k = round(soundfile.info(str(clips / f"{name}.{'flac' if name == 'xy_2' else 'wav'}")).frames * 16000 / rate)
        assert codes.shape[0] == 3 and abs(codes.shape[1] - samples_16k // 1280) <= 1
    assert main(["decode", str(model_dir), str(tmp_path / "codes"), "--output-dir", str(tmp_path / "wav"), "--no-progress"]) == 0
    audio, rate = soundfile.read(tmp_path / "wav" / "nested" / "xy_2.wav")
    assert rate == 24000 and len(audio) == load_codes(tmp_path / "codes" / "nested" / f"xy_2.{code_format}").shape[1] * 1920
    assert np.isfinite(audio).all()


def test_cli_errors_are_reported_not_raised(tmp_path, model_dir, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["encode", str(model_dir), str(tmp_path / "empty"), "--output-dir", str(tmp_path / "o")]) == 2
    assert "No audio files" in capsys.readouterr().err
    assert main(["encode", str(model_dir), str(tmp_path / "nope.wav"), "--output-dir", str(tmp_path / "o")]) == 2
    np.save(tmp_path / "bad.npy", np.full((3, 5), 5000, dtype=np.int16))
    assert main(["decode", str(model_dir), str(tmp_path / "bad.npy"), "--output-dir", str(tmp_path / "o")]) == 2
    assert "[0, 16)" in capsys.readouterr().err


def test_help_texts(capsys):
    for command in ("convert", "encode", "decode"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert "--" in capsys.readouterr().out


def test_subcommands_with_their_own_parsers(capsys):
    assert main(["train", "--help"]) == 0
    assert "resume_from_checkpoint" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        main(["tokenize-dataset", "--help"])
    assert exit_info.value.code == 0
    assert "--output-dir" in capsys.readouterr().out
