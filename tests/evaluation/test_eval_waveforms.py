"""Input validation and pairing shared by every metric."""

from __future__ import annotations

import numpy as np
import pytest

from xy_tokenizer.evaluation import (
    AlignmentConfig,
    align_pair,
    mel_distance,
    pesq_narrowband,
    pesq_wideband,
    resample,
    speaker_similarity,
    stoi,
    validate_waveform,
)

PAIRWISE_METRICS = [stoi, pesq_narrowband, pesq_wideband, mel_distance]


def test_validate_accepts_leading_singleton_axes():
    waveform = np.linspace(-0.5, 0.5, 100, dtype=np.float32)
    assert validate_waveform(waveform[None, None, :]).shape == (100,)
    assert validate_waveform(waveform).dtype == np.float64


@pytest.mark.parametrize(
    "bad, message",
    [
        (np.zeros((2, 1000)), "mono"),
        (np.zeros((1000, 2)), "mono"),
        (np.zeros(0), "empty"),
        (np.array([0.0, np.nan, 0.1]), "NaN"),
        (np.array([0.0, np.inf]), "NaN or infinite"),
        (np.zeros(100, dtype=np.int16), "floating-point"),
    ],
)
def test_validate_rejects_bad_waveforms(bad, message):
    with pytest.raises(ValueError, match=message):
        validate_waveform(bad)


@pytest.mark.parametrize("metric", PAIRWISE_METRICS)
def test_metrics_reject_bad_input(metric, speech_16k):
    waveform, sampling_rate = speech_16k
    stereo = np.stack([waveform, waveform])
    with pytest.raises(ValueError, match="mono"):
        metric(stereo, stereo, sampling_rate)
    with pytest.raises(ValueError, match="empty"):
        metric(np.zeros(0), waveform, sampling_rate)
    corrupted = waveform.copy()
    corrupted[10] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        metric(waveform, corrupted, sampling_rate)
    with pytest.raises(ValueError, match="sampling_rate"):
        metric(waveform, waveform, 0)
    with pytest.raises(ValueError, match="differ by"):
        metric(waveform, waveform[: len(waveform) // 2], sampling_rate)


def test_speaker_similarity_rejects_bad_input_before_loading_a_model(speech_16k):
    waveform, sampling_rate = speech_16k

    class NeverCalled:
        def embed(self, waveform, sampling_rate):  # pragma: no cover - must not run
            raise AssertionError("embed called on invalid input")

    with pytest.raises(ValueError, match="mono"):
        speaker_similarity(np.stack([waveform] * 2), waveform, sampling_rate, speaker_model=NeverCalled())


def test_align_pair_trims_both_to_common_length():
    rng = np.random.default_rng(0)
    reference = rng.standard_normal(16000) * 0.1
    longer = np.concatenate([reference, [0.3, -0.3, 0.1]])
    trimmed_reference, trimmed_reconstruction = align_pair(reference, longer, 16000)
    assert trimmed_reference.shape == trimmed_reconstruction.shape == (16000,)
    np.testing.assert_array_equal(trimmed_reconstruction, reference)
    shorter_reference, shorter = align_pair(reference, reference[:-5], 16000)
    assert shorter_reference.shape == shorter.shape == (15995,)


def test_a_few_extra_samples_do_not_change_a_perfect_score(speech_16k):
    pytest.importorskip("pystoi")
    waveform, sampling_rate = speech_16k
    padded = np.concatenate([waveform, np.zeros(37)])
    assert mel_distance(waveform, padded, sampling_rate) == 0.0
    assert stoi(waveform, padded, sampling_rate) == pytest.approx(1.0, abs=1e-6)


def test_length_mismatch_limit_is_configurable():
    reference = np.full(16000, 0.1)
    with pytest.raises(ValueError, match="differ by"):
        align_pair(reference, reference[:4000], 16000, config=AlignmentConfig(max_length_mismatch_seconds=0.5))
    a, b = align_pair(reference, reference[:4000], 16000, config=AlignmentConfig(max_length_mismatch_seconds=None))
    assert a.shape == b.shape == (4000,)


def test_align_pair_rejects_different_sampling_rates():
    waveform = np.zeros(1600)
    with pytest.raises(ValueError, match="24000 Hz"):
        align_pair(waveform, waveform, 16000, reconstruction_sampling_rate=24000)


def test_resample_changes_length_by_rate_ratio(speech_24k):
    waveform, sampling_rate = speech_24k
    resampled = resample(waveform, sampling_rate, 16000)
    assert resampled.shape == (round(len(waveform) * 16000 / sampling_rate),)
    assert resample(waveform, sampling_rate, sampling_rate) is not None
