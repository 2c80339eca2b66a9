"""STOI, PESQ and mel distance on real speech: perfect for identical audio, worse with noise."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from xy_tokenizer.evaluation import (
    MelSpectrogramConfig,
    StoiConfig,
    log_mel_spectrogram,
    mel_distance,
    mel_filter_bank,
    pesq_narrowband,
    pesq_wideband,
    resample,
    stoi,
)

needs_pystoi = pytest.mark.skipif(importlib.util.find_spec("pystoi") is None, reason="pystoi not installed")
needs_pesq = pytest.mark.skipif(importlib.util.find_spec("pesq") is None, reason="pesq not installed")

SNRS_DB = (20.0, 5.0)  # mild, strong degradation


@needs_pystoi
def test_stoi_identical_is_one_and_noise_lowers_it(speech_16k, add_noise):
    waveform, sampling_rate = speech_16k
    assert stoi(waveform, waveform, sampling_rate) == pytest.approx(1.0, abs=1e-6)
    mild, strong = (stoi(waveform, add_noise(waveform, snr), sampling_rate) for snr in SNRS_DB)
    assert 1.0 > mild > strong > 0.0


@needs_pystoi
def test_stoi_of_too_short_speech_raises_instead_of_returning_a_placeholder(speech_16k):
    waveform, sampling_rate = speech_16k
    clip = waveform[16000:19200]  # 0.2 s: fewer than 30 STOI frames
    with pytest.raises(ValueError, match="384 ms"):
        stoi(clip, clip, sampling_rate)


@needs_pystoi
def test_extended_stoi_identical_is_one(speech_16k):
    waveform, sampling_rate = speech_16k
    assert stoi(waveform, waveform, sampling_rate, StoiConfig(extended=True)) == pytest.approx(1.0, abs=1e-6)


@needs_pesq
@pytest.mark.parametrize("metric, maximum", [(pesq_narrowband, 4.55), (pesq_wideband, 4.64)])
def test_pesq_identical_is_maximal_and_noise_lowers_it(metric, maximum, speech_16k, add_noise):
    waveform, sampling_rate = speech_16k
    assert metric(waveform, waveform, sampling_rate) == pytest.approx(maximum, abs=0.01)
    mild, strong = (metric(waveform, add_noise(waveform, snr), sampling_rate) for snr in SNRS_DB)
    assert maximum > mild > strong >= 1.0


@needs_pesq
def test_pesq_resamples_other_rates(speech_24k):
    waveform, sampling_rate = speech_24k
    assert sampling_rate == 24000
    assert pesq_wideband(waveform, waveform, sampling_rate) == pytest.approx(4.64, abs=0.01)
    assert pesq_narrowband(waveform, waveform, sampling_rate) == pytest.approx(4.55, abs=0.01)


@needs_pesq
def test_pesq_errors_are_value_errors(speech_16k):
    waveform, sampling_rate = speech_16k
    narrow = resample(waveform, sampling_rate, 8000)
    with pytest.raises(ValueError, match="16000 Hz or more"):
        pesq_wideband(narrow, narrow, 8000)
    silence = np.zeros(sampling_rate)
    with pytest.raises(ValueError, match="silent"):
        pesq_wideband(silence, silence, sampling_rate)
    with pytest.raises(ValueError, match="PESQ"):  # 50 ms: shorter than PESQ accepts
        pesq_narrowband(waveform[:800], waveform[:800], sampling_rate)


def test_mel_distance_identical_is_zero_and_noise_raises_it(speech_16k, add_noise):
    waveform, sampling_rate = speech_16k
    assert mel_distance(waveform, waveform, sampling_rate) == 0.0
    mild, strong = (mel_distance(waveform, add_noise(waveform, snr), sampling_rate) for snr in SNRS_DB)
    assert 0.0 < mild < strong


def test_mel_distance_is_symmetric_and_non_negative():
    rng = np.random.default_rng(7)
    for _ in range(3):
        first, second = rng.standard_normal((2, 8000)) * rng.uniform(0.01, 0.5, size=(2, 1))
        forward = mel_distance(first, second, 16000)
        assert forward > 0
        assert forward == pytest.approx(mel_distance(second, first, 16000))


def test_mel_filter_bank_matches_transformers_slaney_reference():
    from transformers.audio_utils import mel_filter_bank as reference_filter_bank

    config = MelSpectrogramConfig()
    for sampling_rate in (16000, 24000):
        ours = mel_filter_bank(sampling_rate, config)
        expected = reference_filter_bank(
            config.n_fft // 2 + 1,
            config.n_mels,
            config.f_min,
            sampling_rate / 2,
            sampling_rate,
            norm="slaney",
            mel_scale="slaney",
        ).T
        assert ours.shape == (config.n_mels, config.n_fft // 2 + 1)
        np.testing.assert_allclose(ours, expected, atol=1e-12)


def test_log_mel_spectrogram_shape_and_floor():
    config = MelSpectrogramConfig(hop_length=160, n_mels=40)
    spectrogram = log_mel_spectrogram(np.zeros(16000), 16000, config)
    assert spectrogram.shape == (40, 1 + 16000 // 160)
    np.testing.assert_allclose(spectrogram, np.log(config.log_floor))
