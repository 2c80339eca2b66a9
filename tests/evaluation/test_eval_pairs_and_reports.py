"""evaluate_pairs over several clips, and the markdown / JSON / PNG writers."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from xy_tokenizer.evaluation import (
    SIGNAL_METRICS,
    evaluate_pairs,
    format_markdown,
    resample,
    write_json,
    write_markdown,
    write_mel_figure,
)


class EchoASR:
    """Stand-in ASR: 'hears' the reference text unless the audio is louder than a threshold."""

    def __init__(self, text: str, loud_text: str) -> None:
        self.text, self.loud_text = text, loud_text

    def transcribe(self, waveform: np.ndarray, sampling_rate: int) -> str:
        return self.loud_text if np.sqrt(np.mean(waveform**2)) > 0.2 else self.text


class ConstantSpeakerModel:
    def embed(self, waveform: np.ndarray, sampling_rate: int) -> np.ndarray:
        return np.array([1.0, np.sqrt(np.mean(waveform**2))])


@pytest.fixture(scope="module")
def clips(speech_16k, speech_24k):
    """Two 16 kHz references (the 24 kHz clip resampled) and their reconstructions: identical, noisy."""
    first, sampling_rate = speech_16k
    second = resample(speech_24k[0], speech_24k[1], sampling_rate)
    return [first, second], sampling_rate


@pytest.fixture(scope="module")
def results(clips, add_noise):
    """Default (signal) metrics of an identical and a noisy pair; needs pystoi and pesq."""
    pytest.importorskip("pystoi")
    pytest.importorskip("pesq")
    references, sampling_rate = clips
    reconstructions = [references[0][:-7], add_noise(references[1], 10.0)]  # 7 samples short, noisy
    return evaluate_pairs(references, reconstructions, sampling_rate, clip_ids=["identical", "noisy"])


def test_rows_and_means(results, clips):
    references, sampling_rate = clips
    assert results.metrics == SIGNAL_METRICS
    identical, noisy = results.rows
    assert identical["clip_id"] == "identical"
    assert identical["length_difference_samples"] == -7
    assert identical["duration_seconds"] == pytest.approx((len(references[0]) - 7) / sampling_rate)
    assert identical["stoi"] == pytest.approx(1.0, abs=1e-6)
    assert identical["pesq_wb"] == pytest.approx(4.64, abs=0.01)
    assert identical["mel_distance"] == 0.0
    for name, info_higher in (("stoi", True), ("pesq_nb", True), ("pesq_wb", True), ("mel_distance", False)):
        assert (identical[name] > noisy[name]) == info_higher
        assert results.means[name] == pytest.approx((identical[name] + noisy[name]) / 2)
    assert results.corpus_wer is None


def test_model_metrics_with_pluggable_models(clips):
    references, sampling_rate = clips
    asr = EchoASR("the cat sat", loud_text="the dog sat")
    loud = [reference * 0 + 0.5 * np.sign(reference + 1e-9) for reference in references]  # rms 0.5: "misheard"
    results = evaluate_pairs(
        references,
        [references[0], loud[1]],
        sampling_rate,
        metrics=["speaker_similarity", "wer"],
        speaker_model=ConstantSpeakerModel(),
        asr_model=asr,
        references_text=["The cat sat.", "the cat sat"],
    )
    first, second = results.rows
    assert first["speaker_similarity"] == pytest.approx(1.0)
    assert second["speaker_similarity"] < 1.0
    assert (first["wer"], second["wer"]) == (0.0, pytest.approx(1 / 3))
    assert first["reference_text_source"] == "given"
    assert results.corpus_wer == pytest.approx(1 / 6)
    assert results.models == {"speaker_model": "ConstantSpeakerModel", "asr_model": "EchoASR"}


def test_reconstructions_at_another_rate_need_explicit_resampling(clips):
    pytest.importorskip("pystoi")
    references, sampling_rate = clips
    reconstructions_24k = [resample(reference, sampling_rate, 24000) for reference in references]
    with pytest.raises(ValueError, match="resample_reconstructions"):
        evaluate_pairs(references, reconstructions_24k, sampling_rate, reconstruction_sampling_rate=24000)
    results = evaluate_pairs(
        references,
        reconstructions_24k,
        sampling_rate,
        metrics=["mel_distance", "stoi"],
        reconstruction_sampling_rate=24000,
        resample_reconstructions=True,
    )
    for row in results.rows:
        assert row["stoi"] > 0.99
        assert row["mel_distance"] < 0.2


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"metrics": ["nope"]}, "unknown metrics"),
        ({"metrics": []}, "at least one"),
        ({"metrics": ["wer"]}, "asr_model"),
        ({"clip_ids": ["only_one"]}, "clip_ids"),
        ({"references_text": ["a"]}, "references_text"),
    ],
)
def test_bad_arguments_raise(clips, kwargs, message):
    references, sampling_rate = clips
    with pytest.raises(ValueError, match=message):
        evaluate_pairs(references, references, sampling_rate, **kwargs)


def test_bad_clip_lists_raise(clips):
    references, sampling_rate = clips
    with pytest.raises(ValueError, match="2 references but 1"):
        evaluate_pairs(references, references[:1], sampling_rate)
    with pytest.raises(ValueError, match="sequence of waveforms"):
        evaluate_pairs(references[0], references[0], sampling_rate)
    with pytest.raises(ValueError, match="empty"):
        evaluate_pairs([], [], sampling_rate)
    with pytest.raises(ValueError, match="clip 'clip_001'.*differ by"):
        evaluate_pairs(references, [references[0], references[1][:100]], sampling_rate, metrics=["mel_distance"])


def test_markdown_table(results, tmp_path):
    path = write_markdown(results, tmp_path / "report" / "metrics.md")
    text = path.read_text(encoding="utf-8")
    assert text == format_markdown(results)
    table = [line for line in text.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in table[0].strip("|").split("|")]
    assert header == ["clip", "seconds", "stoi ↑", "pesq_nb ↑", "pesq_wb ↑", "mel_distance ↓"]
    assert len(table) == 2 + len(results.rows) + 1  # header, rule, clips, mean
    mean_cells = [cell.strip() for cell in table[-1].strip("|").split("|")]
    assert mean_cells[0] == "**mean**"
    assert float(mean_cells[2].strip("*")) == pytest.approx(results.means["stoi"], abs=1e-3)


def test_json_round_trip(results, tmp_path):
    path = write_json(results, tmp_path / "metrics.json")
    loaded = json.loads(path.read_text(encoding="utf-8"))
    assert loaded["metrics"] == list(SIGNAL_METRICS)
    assert loaded["num_clips"] == 2
    assert loaded["rows"][0]["clip_id"] == "identical"
    assert loaded["means"]["stoi"] == pytest.approx(results.means["stoi"])
    assert loaded["config"]["mel"]["n_mels"] == 80
    assert loaded["config"]["alignment"]["max_length_mismatch_seconds"] == 0.5


def test_json_writes_non_finite_values_as_null(results, tmp_path):
    results.rows[0]["extra"] = math.nan
    try:
        loaded = json.loads(write_json(results, tmp_path / "nan.json").read_text(encoding="utf-8"))
    finally:
        del results.rows[0]["extra"]
    assert loaded["rows"][0]["extra"] is None


def test_mel_figure_png(clips, add_noise, tmp_path):
    matplotlib_image = pytest.importorskip("matplotlib.image")
    references, sampling_rate = clips
    reconstructions = [add_noise(reference, 10.0) for reference in references]
    path = write_mel_figure(
        references, reconstructions, sampling_rate, tmp_path / "figs" / "mels.png", clip_ids=["a", "b"]
    )
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = matplotlib_image.imread(path)
    height, width = image.shape[:2]
    assert width == 1000 and height == 440  # 2 panels x 5 in, 2 rows x 2.2 in, 100 dpi
    assert image[..., :3].std() > 0.05  # not a blank canvas
    with pytest.raises(ValueError, match="clip_ids"):
        write_mel_figure(references, reconstructions, sampling_rate, tmp_path / "x.png", clip_ids=["a"])
