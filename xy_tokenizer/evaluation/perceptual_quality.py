"""PESQ (ITU-T P.862) narrow-band and wide-band scores of a reconstruction."""

from __future__ import annotations

from typing import Any

import numpy as np

from .config import AlignmentConfig, PesqConfig
from .dependencies import require
from .waveforms import align_pair, resample

PESQ_MODES = ("nb", "wb")


def pesq(
    reference: Any,
    reconstruction: Any,
    sampling_rate: int,
    mode: str,
    config: PesqConfig = PesqConfig(),
    alignment: AlignmentConfig = AlignmentConfig(),
) -> float:
    """PESQ MOS-LQO of ``reconstruction`` against ``reference``.

    Both signals are trimmed to their common length, then resampled with ``soxr`` to the rate the
    mode requires: 8 kHz for ``"nb"``, 16 kHz for ``"wb"``. Wide-band PESQ of audio recorded
    below 16 kHz would score upsampled, band-limited audio, so it raises instead.

    Args:
        reference: Original audio, shape ``(num_samples,)``.
        reconstruction: Codec output, shape ``(num_samples',)``.
        sampling_rate: Rate of both signals in Hz (8000 or more).
        mode: ``"nb"`` (narrow-band, max about 4.55) or ``"wb"`` (wide-band, max about 4.64).
        config: Target rates and resampling quality.
        alignment: Length-mismatch policy.

    Returns:
        MOS-LQO score, higher is better (roughly 1.0 to 4.64).

    Raises:
        ValueError: bad input, unknown mode, too low a sampling rate, a silent reference, or a
            signal PESQ rejects (too short, or no speech found in it).
    """
    if mode not in PESQ_MODES:
        raise ValueError(f"mode must be one of {PESQ_MODES}, got {mode!r}")
    reference, reconstruction = align_pair(reference, reconstruction, sampling_rate, config=alignment)
    target_rate = config.narrowband_sampling_rate if mode == "nb" else config.wideband_sampling_rate
    if sampling_rate < target_rate:
        raise ValueError(
            f"{'wide' if mode == 'wb' else 'narrow'}-band PESQ needs audio at {target_rate} Hz or "
            f"more, got {sampling_rate} Hz"
        )
    if not np.any(reference):
        raise ValueError("PESQ is undefined for a silent (all-zero) reference")
    pesq_module = require("pesq", "pesq>=0.0.4", "PESQ")
    reference = resample(reference, sampling_rate, target_rate, config.resample_quality)
    reconstruction = resample(reconstruction, sampling_rate, target_rate, config.resample_quality)
    try:
        return float(pesq_module.pesq(target_rate, reference, reconstruction, mode))
    except pesq_module.PesqError as error:  # BufferTooShortError, NoUtterancesError, ...
        raise ValueError(f"PESQ ({mode}) could not score this pair: {type(error).__name__}: {error}") from error


def pesq_narrowband(
    reference: Any,
    reconstruction: Any,
    sampling_rate: int,
    config: PesqConfig = PesqConfig(),
    alignment: AlignmentConfig = AlignmentConfig(),
) -> float:
    """Narrow-band PESQ (8 kHz, P.862.1 MOS-LQO); see :func:`pesq` for arguments and shapes."""
    return pesq(reference, reconstruction, sampling_rate, "nb", config, alignment)


def pesq_wideband(
    reference: Any,
    reconstruction: Any,
    sampling_rate: int,
    config: PesqConfig = PesqConfig(),
    alignment: AlignmentConfig = AlignmentConfig(),
) -> float:
    """Wide-band PESQ (16 kHz, P.862.2); see :func:`pesq` for arguments and shapes."""
    return pesq(reference, reconstruction, sampling_rate, "wb", config, alignment)
