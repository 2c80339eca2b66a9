"""`xy-tokenizer evaluate`: reconstruct real clips with a saved model and write the three reports."""

import json

import pytest
from helpers import DATA_DIR, make_tiny_model

from xy_tokenizer.cli import main
from xy_tokenizer.conversion import save_with_remote_code
from xy_tokenizer.feature_extraction_xy_tokenizer import XYTokenizerFeatureExtractor

pytest.importorskip("pystoi")
pytest.importorskip("pesq")


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("model")
    model = make_tiny_model("32k", max_audio_seconds=30, window_context_frames=50, original_window_overlap_frames=125)
    save_with_remote_code(model, XYTokenizerFeatureExtractor.from_model_config(model.config), folder)
    return folder


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
