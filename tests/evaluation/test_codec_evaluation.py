"""`xy-tokenizer evaluate`: reconstruct real clips with a saved model and write the three reports."""

import json

import pytest
from helpers import DATA_DIR, save_tiny_model_folder

from xy_tokenizer.cli import main

pytest.importorskip("pystoi")
pytest.importorskip("pesq")


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    return save_tiny_model_folder(tmp_path_factory.mktemp("model"), "32k")


def test_evaluate_writes_reports(tmp_path, model_dir, capsys):
    out = tmp_path / "eval"
    argv = ["evaluate", str(model_dir), str(DATA_DIR / "speech"), "--output-dir", str(out), "--no-progress",
            "--num-quantizers", "2", "--metrics", "stoi", "pesq_wb", "mel_distance"]  # fmt: skip
    assert main(argv) == 0
    results = json.loads((out / "results.json").read_text())
    assert [row["clip_id"] for row in results["rows"]] == ["moss_m1", "xy_2"]
    assert results["sampling_rate"] == 16000
    for row in results["rows"]:
        assert 0 <= row["stoi"] <= 1 and 1 <= row["pesq_wb"] <= 4.7 and row["mel_distance"] > 0
    assert "2 codebooks × 16 at 12.5 Hz = 100 bit/s, output 32000 Hz" in results["models"]["codec"]
    assert (out / "mel_spectrograms.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "| **mean** |" in (out / "results.md").read_text()
    assert "stoi" in capsys.readouterr().out


def test_wer_without_asr_is_refused(tmp_path, model_dir, capsys):
    argv = ["evaluate", str(model_dir), str(DATA_DIR / "speech"), "--output-dir", str(tmp_path), "--metrics", "wer"]
    assert main(argv) == 2
    assert "--asr" in capsys.readouterr().err
