"""Mel distance: mean absolute difference between log-mel spectrograms."""

from __future__ import annotations

from typing import Any

import numpy as np

from .config import AlignmentConfig, MelSpectrogramConfig
from .mel_spectrogram import log_mel_spectrogram
from .waveforms import align_pair


def mel_distance(
    reference: Any,
    reconstruction: Any,
    sampling_rate: int,
    config: MelSpectrogramConfig = MelSpectrogramConfig(),
    alignment: AlignmentConfig = AlignmentConfig(),
) -> float:
    """L1 distance between natural-log mel spectrograms, averaged over bands and frames.

    ``mean(|log_mel(reference) - log_mel(reconstruction)|)`` with the parameters in ``config``
    (defaults: n_fft 1024, hop 256, 80 Slaney mels from 0 Hz to Nyquist, magnitude, floor 1e-5).
    Exactly 0 for identical signals; lower is better. Values depend on ``config`` and on the
    sampling rate, so only compare numbers computed with the same settings.

    Args:
        reference: Original audio, shape ``(num_samples,)``.
        reconstruction: Codec output, shape ``(num_samples',)``; trimmed to the common length.
        sampling_rate: Rate of both signals in Hz.
        config: Log-mel parameters.
        alignment: Length-mismatch policy.

    Returns:
        Non-negative distance in natural-log units.
    """
    reference, reconstruction = align_pair(reference, reconstruction, sampling_rate, config=alignment)
    reference_mel = log_mel_spectrogram(reference, sampling_rate, config)
    reconstruction_mel = log_mel_spectrogram(reconstruction, sampling_rate, config)
    return float(np.mean(np.abs(reference_mel - reconstruction_mel)))
