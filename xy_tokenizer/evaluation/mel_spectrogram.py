"""Log-mel spectrogram in plain NumPy (used by the mel distance and the figures).

Implemented here rather than borrowed from a training module so the evaluation numbers do not
change when a training loss is tuned. Conventions follow ``librosa`` defaults (Slaney mel scale,
area-normalised triangles, centred frames with reflect padding).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .config import MelSpectrogramConfig
from .waveforms import validate_sampling_rate, validate_waveform

# Slaney mel scale: linear below 1 kHz (3 mels per 200 Hz), logarithmic above.
_SLANEY_LINEAR_HZ_PER_MEL = 200.0 / 3.0
_SLANEY_BREAK_HZ = 1000.0
_SLANEY_LOG_STEP = np.log(6.4) / 27.0


def hz_to_mel(frequencies_hz: np.ndarray) -> np.ndarray:
    """Slaney mel value of each frequency; any shape in, same shape out."""
    frequencies_hz = np.asarray(frequencies_hz, dtype=np.float64)
    mels = frequencies_hz / _SLANEY_LINEAR_HZ_PER_MEL
    break_mel = _SLANEY_BREAK_HZ / _SLANEY_LINEAR_HZ_PER_MEL
    above = frequencies_hz >= _SLANEY_BREAK_HZ
    mels = np.where(
        above, break_mel + np.log(np.maximum(frequencies_hz, 1e-12) / _SLANEY_BREAK_HZ) / _SLANEY_LOG_STEP, mels
    )
    return mels


def mel_to_hz(mels: np.ndarray) -> np.ndarray:
    """Inverse of :func:`hz_to_mel`; any shape in, same shape out."""
    mels = np.asarray(mels, dtype=np.float64)
    break_mel = _SLANEY_BREAK_HZ / _SLANEY_LINEAR_HZ_PER_MEL
    return np.where(
        mels >= break_mel,
        _SLANEY_BREAK_HZ * np.exp(_SLANEY_LOG_STEP * (mels - break_mel)),
        mels * _SLANEY_LINEAR_HZ_PER_MEL,
    )


def mel_filter_bank(sampling_rate: int, config: MelSpectrogramConfig = MelSpectrogramConfig()) -> np.ndarray:
    """Slaney-normalised triangular mel filters.

    Returns:
        Array of shape ``(config.n_mels, config.n_fft // 2 + 1)``; row ``m`` weights the FFT bins
        of mel band ``m`` and integrates to ``2 / (upper_hz - lower_hz)``.
    """
    sampling_rate = validate_sampling_rate(sampling_rate)
    f_max = sampling_rate / 2 if config.f_max is None else config.f_max
    if not 0 <= config.f_min < f_max <= sampling_rate / 2:
        raise ValueError(f"need 0 <= f_min < f_max <= {sampling_rate / 2} Hz, got {config.f_min}, {f_max}")
    fft_frequencies = np.linspace(0.0, sampling_rate / 2, config.n_fft // 2 + 1)
    edges_hz = mel_to_hz(np.linspace(hz_to_mel(config.f_min), hz_to_mel(f_max), config.n_mels + 2))
    widths = np.diff(edges_hz)
    slopes = edges_hz[:, None] - fft_frequencies[None, :]
    rising = -slopes[:-2] / widths[:-1, None]
    falling = slopes[2:] / widths[1:, None]
    filters = np.maximum(0.0, np.minimum(rising, falling))
    filters *= (2.0 / (edges_hz[2:] - edges_hz[:-2]))[:, None]
    return filters


def _stft_magnitude(waveform: np.ndarray, config: MelSpectrogramConfig) -> np.ndarray:
    """|STFT| of shape ``(n_fft // 2 + 1, num_frames)`` for a waveform of shape ``(num_samples,)``."""
    if not 0 < config.win_length <= config.n_fft or config.hop_length <= 0:
        raise ValueError(f"need 0 < win_length <= n_fft and hop_length > 0, got {config}")
    pad = config.n_fft // 2
    mode = "reflect" if waveform.shape[0] > pad else "constant"
    padded = np.pad(waveform, pad, mode=mode)
    window = np.zeros(config.n_fft)
    offset = (config.n_fft - config.win_length) // 2
    window[offset : offset + config.win_length] = np.hanning(config.win_length + 1)[:-1]  # periodic Hann
    num_frames = 1 + (padded.shape[0] - config.n_fft) // config.hop_length
    frames = np.lib.stride_tricks.sliding_window_view(padded, config.n_fft)[:: config.hop_length][:num_frames]
    return np.abs(np.fft.rfft(frames * window, axis=-1)).T


def log_mel_spectrogram(
    waveform: Any, sampling_rate: int, config: MelSpectrogramConfig = MelSpectrogramConfig()
) -> np.ndarray:
    """Natural-log mel spectrogram, see :class:`~xy_tokenizer.evaluation.config.MelSpectrogramConfig`.

    Args:
        waveform: Audio, shape ``(num_samples,)``.
        sampling_rate: Its rate in Hz.
        config: STFT, mel and log parameters.

    Returns:
        Array of shape ``(config.n_mels, 1 + num_samples // config.hop_length)``.
    """
    waveform = validate_waveform(waveform)
    magnitude = _stft_magnitude(waveform, config) ** config.power
    mel = mel_filter_bank(sampling_rate, config) @ magnitude
    return np.log(np.maximum(mel, config.log_floor))
