"""Slaney-style mel filterbank in torch (librosa's default ``htk=False, norm="slaney"``).

Written here rather than imported because torchaudio is not a dependency and the transformers
helper lives in a module we do not want the training code to be pinned to; a test checks parity
with ``transformers.audio_utils.mel_filter_bank``.
"""

from __future__ import annotations

import math

import torch

# Slaney's auditory toolbox mel scale: linear below 1 kHz, logarithmic above.
_LINEAR_HZ_PER_MEL = 200.0 / 3.0
_LOG_REGION_START_HZ = 1000.0
_LOG_STEP = math.log(6.4) / 27.0


def hertz_to_mel(frequencies: torch.Tensor) -> torch.Tensor:
    """Slaney mel of ``frequencies`` in Hz (any shape, float64 recommended)."""
    log_region_start_mel = _LOG_REGION_START_HZ / _LINEAR_HZ_PER_MEL
    linear = frequencies / _LINEAR_HZ_PER_MEL
    octaves = torch.log(frequencies.clamp_min(_LOG_REGION_START_HZ) / _LOG_REGION_START_HZ)
    logarithmic = log_region_start_mel + octaves / _LOG_STEP
    return torch.where(frequencies >= _LOG_REGION_START_HZ, logarithmic, linear)


def mel_to_hertz(mels: torch.Tensor) -> torch.Tensor:
    """Inverse of :func:`hertz_to_mel`."""
    log_region_start_mel = _LOG_REGION_START_HZ / _LINEAR_HZ_PER_MEL
    linear = mels * _LINEAR_HZ_PER_MEL
    logarithmic = _LOG_REGION_START_HZ * torch.exp(_LOG_STEP * (mels - log_region_start_mel))
    return torch.where(mels >= log_region_start_mel, logarithmic, linear)


def mel_filter_bank(
    n_fft: int, num_mels: int, sampling_rate: int, min_frequency: float = 0.0, max_frequency: float | None = None
) -> torch.Tensor:
    """Triangular, area-normalised ("slaney") mel filters.

    Args:
        n_fft: FFT size; the filters cover its ``n_fft // 2 + 1`` one-sided frequency bins.
        num_mels: number of mel filters.
        sampling_rate: sampling rate of the analysed audio, in Hz.
        min_frequency: lower edge of the first filter, in Hz.
        max_frequency: upper edge of the last filter, in Hz; ``None`` means Nyquist.

    Returns:
        ``(num_mels, n_fft // 2 + 1)`` float32 filters; multiply a magnitude spectrogram
        ``(..., n_fft // 2 + 1, frames)`` from the left to get ``(..., num_mels, frames)``.
        With many mels and a small FFT some low filters fall between bins and are all zero
        (librosa warns about this); they then contribute nothing to a loss.
    """
    nyquist = sampling_rate / 2
    max_frequency = nyquist if max_frequency is None else max_frequency
    if n_fft < 2 or num_mels < 1:
        raise ValueError(f"Expected n_fft >= 2 and num_mels >= 1, but got n_fft={n_fft}, num_mels={num_mels}")
    if not 0.0 <= min_frequency < max_frequency <= nyquist:
        raise ValueError(
            f"Expected 0 <= min_frequency < max_frequency <= Nyquist ({nyquist} Hz), "
            f"but got min_frequency={min_frequency}, max_frequency={max_frequency}"
        )
    fft_frequencies = torch.arange(n_fft // 2 + 1, dtype=torch.float64) * sampling_rate / n_fft  # (bins,)
    mel_edges = torch.linspace(
        hertz_to_mel(torch.tensor(min_frequency, dtype=torch.float64)).item(),
        hertz_to_mel(torch.tensor(max_frequency, dtype=torch.float64)).item(),
        num_mels + 2,
        dtype=torch.float64,
    )
    hz_edges = mel_to_hertz(mel_edges)  # (num_mels + 2,)
    widths = hz_edges.diff()  # (num_mels + 1,)
    ramps = hz_edges.unsqueeze(1) - fft_frequencies.unsqueeze(0)  # (num_mels + 2, bins)
    rising = -ramps[:-2] / widths[:-1].unsqueeze(1)  # (num_mels, bins)
    falling = ramps[2:] / widths[1:].unsqueeze(1)  # (num_mels, bins)
    filters = torch.clamp(torch.minimum(rising, falling), min=0.0)
    # Slaney normalisation: each filter has (approximately) constant area.
    filters = filters * (2.0 / (hz_edges[2:] - hz_edges[:-2])).unsqueeze(1)
    return filters.to(torch.float32)
