"""The Hugging Face ``evaluate`` metric scripts load from their local paths and agree with the plain API."""

from __future__ import annotations

import importlib.util

import pytest

from xy_tokenizer.evaluation import (
    EVALUATE_METRIC_NAMES,
    evaluate_metric_dir,
    load_evaluate_metric,
    mel_distance,
    pesq_wideband,
    stoi,
)

pytestmark = pytest.mark.skipif(importlib.util.find_spec("evaluate") is None, reason="evaluate not installed")


@pytest.fixture(scope="module")
def pair(speech_16k, add_noise):
    waveform, sampling_rate = speech_16k
    return waveform, add_noise(waveform, 10.0), sampling_rate


def test_every_metric_has_a_script():
    for name in EVALUATE_METRIC_NAMES:
        assert (evaluate_metric_dir(name) / f"{name}.py").is_file()
    with pytest.raises(ValueError, match="unknown"):
        evaluate_metric_dir("bleu")


@pytest.mark.parametrize("name, plain", [("stoi", stoi), ("mel_distance", mel_distance)])
def test_signal_metrics_match_plain_api(name, plain, pair):
    pytest.importorskip("pystoi")
    reference, noisy, sampling_rate = pair
    metric = load_evaluate_metric(name)
    result = metric.compute(
        predictions=[reference, noisy], references=[reference, reference], sampling_rate=sampling_rate
    )
    identical, degraded = result[f"{name}_per_clip"]
    # evaluate stores waveforms as float32, hence the tolerance
    assert degraded == pytest.approx(plain(reference, noisy, sampling_rate), rel=1e-3, abs=1e-3)
    assert identical == pytest.approx(1.0 if name == "stoi" else 0.0, abs=1e-5)
    assert result[name] == pytest.approx((identical + degraded) / 2)


def test_pesq_module_reports_both_bands(pair):
    pytest.importorskip("pesq")
    reference, noisy, sampling_rate = pair
    metric = load_evaluate_metric("pesq")
    metric.add_batch(predictions=[noisy], references=[reference])
    result = metric.compute(sampling_rate=sampling_rate)
    assert set(result) == {"pesq_nb", "pesq_nb_per_clip", "pesq_wb", "pesq_wb_per_clip"}
    assert result["pesq_wb"] == pytest.approx(pesq_wideband(reference, noisy, sampling_rate), abs=0.02)
    with pytest.raises(ValueError, match="sampling_rate"):
        load_evaluate_metric("pesq").compute(predictions=[noisy], references=[reference])


def test_speaker_similarity_module_with_pluggable_model(pair):
    reference, noisy, sampling_rate = pair

    class Loudness:
        def embed(self, waveform, sampling_rate):
            return [1.0, float(abs(waveform).mean())]

    result = load_evaluate_metric("speaker_similarity").compute(
        predictions=[reference], references=[reference], sampling_rate=sampling_rate, speaker_model=Loudness()
    )
    assert result["speaker_similarity"] == pytest.approx(1.0)


def test_wer_module():
    metric = load_evaluate_metric("wer")
    result = metric.compute(predictions=["Hello, world!", "a b x"], references=["hello world", "a b c d"])
    assert result["wer_per_clip"] == [0.0, pytest.approx(0.5)]
    assert result["wer"] == pytest.approx(2 / 6)
