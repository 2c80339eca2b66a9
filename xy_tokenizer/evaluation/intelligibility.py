"""Short-Time Objective Intelligibility (STOI) of a reconstruction against its reference."""

from __future__ import annotations

import warnings
from typing import Any

from .config import AlignmentConfig, StoiConfig
from .dependencies import require
from .waveforms import align_pair

# Start of the RuntimeWarning pystoi emits before returning its 1e-5 placeholder score.
_TOO_SHORT_WARNING = "Not enough STFT frames"


def stoi(
    reference: Any,
    reconstruction: Any,
    sampling_rate: int,
    config: StoiConfig = StoiConfig(),
    alignment: AlignmentConfig = AlignmentConfig(),
) -> float:
    """STOI (or extended STOI) computed by ``pystoi``; about 1.0 for identical signals.

    ``pystoi`` resamples to 10 kHz internally and removes silent frames of the reference. With
    fewer than 30 frames (about 384 ms) of speech left the score is meaningless: ``pystoi`` would
    warn and return 1e-5, and this function raises ``ValueError`` instead.

    Args:
        reference: Original audio, shape ``(num_samples,)``.
        reconstruction: Codec output, shape ``(num_samples',)``; trimmed to the common length
            (see :func:`~xy_tokenizer.evaluation.waveforms.align_pair`).
        sampling_rate: Rate of both signals in Hz.
        config: Classic or extended STOI.
        alignment: Length-mismatch policy.

    Returns:
        Score, at most 1 (higher is more intelligible; extended STOI can be negative).
    """
    reference, reconstruction = align_pair(reference, reconstruction, sampling_rate, config=alignment)
    pystoi = require("pystoi", "pystoi>=0.4", "STOI")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        score = float(pystoi.stoi(reference, reconstruction, sampling_rate, extended=config.extended))
    for warning in caught:
        if _TOO_SHORT_WARNING in str(warning.message):
            raise ValueError(
                "STOI needs at least about 384 ms of non-silent reference audio; too little of this "
                f"{reference.shape[0] / sampling_rate:.3f} s clip is left after pystoi removes silent frames"
            )
        warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    return score
