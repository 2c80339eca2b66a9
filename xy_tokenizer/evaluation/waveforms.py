"""Validation, pairing and resampling of the waveforms every metric receives.

All metrics take mono float waveforms. Shapes accepted: ``(num_samples,)``, or with leading
singleton axes such as ``(1, num_samples)`` or ``(1, 1, num_samples)`` (a codec's batch/channel
axes), which are squeezed. Anything with two or more non-singleton axes (stereo, a batch) is
rejected: metrics are defined per mono clip.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .config import AlignmentConfig


def validate_sampling_rate(sampling_rate: Any, name: str = "sampling_rate") -> int:
    """Return ``sampling_rate`` as ``int`` or raise ``ValueError`` if it is not a positive integer."""
    if isinstance(sampling_rate, bool) or not isinstance(sampling_rate, (int, np.integer)):
        raise ValueError(f"{name} must be a positive integer number of Hz, got {sampling_rate!r}")
    if sampling_rate <= 0:
        raise ValueError(f"{name} must be positive, got {sampling_rate}")
    return int(sampling_rate)


def validate_waveform(waveform: Any, name: str = "waveform") -> np.ndarray:
    """Check a mono waveform and return it as a 1-D ``float64`` array.

    Args:
        waveform: Audio samples, shape ``(num_samples,)`` (leading singleton axes are squeezed),
            floating point, nominally in ``[-1, 1]``. NumPy arrays, lists and CPU tensors work.
        name: How the argument is called in error messages.

    Returns:
        Array of shape ``(num_samples,)``, dtype ``float64``.

    Raises:
        ValueError: if it is not floating point, not mono, empty, or contains NaN/inf.
    """
    array = np.asarray(waveform)
    if not np.issubdtype(array.dtype, np.floating):
        raise ValueError(
            f"{name} must be a floating-point waveform, got dtype {array.dtype}; "
            "convert integer PCM first, e.g. int16 samples / 32768"
        )
    while array.ndim > 1 and array.shape[0] == 1:
        array = array[0]
    if array.ndim != 1:
        raise ValueError(
            f"{name} must be mono with shape (num_samples,), got shape {np.shape(waveform)}; "
            "downmix stereo (e.g. waveform.mean(axis=channel_axis)) or pass clips one by one"
        )
    if array.size == 0:
        raise ValueError(f"{name} is empty")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite samples")
    return array.astype(np.float64, copy=False)


def align_pair(
    reference: Any,
    reconstruction: Any,
    sampling_rate: int,
    reconstruction_sampling_rate: int | None = None,
    config: AlignmentConfig = AlignmentConfig(),
) -> tuple[np.ndarray, np.ndarray]:
    """Validate a (reference, reconstruction) pair and trim both to their common length.

    The reconstruction of a codec may be a few samples shorter or longer than its input. Both
    signals are cut at the end to ``min(len(reference), len(reconstruction))`` samples; nothing
    is padded or shifted. A difference above ``config.max_length_mismatch_seconds`` raises.

    Args:
        reference: Original audio, shape ``(num_reference_samples,)``.
        reconstruction: Codec output, shape ``(num_reconstruction_samples,)``.
        sampling_rate: Rate of ``reference`` in Hz.
        reconstruction_sampling_rate: Rate of ``reconstruction`` if it is stated separately; it
            must equal ``sampling_rate`` (resample first with :func:`resample`).
        config: Length-mismatch policy.

    Returns:
        ``(reference, reconstruction)``, both ``float64`` of shape ``(num_common_samples,)``.

    Raises:
        ValueError: on invalid waveforms, different sampling rates or a too large length
            difference.
    """
    sampling_rate = validate_sampling_rate(sampling_rate)
    if reconstruction_sampling_rate is not None:
        reconstruction_sampling_rate = validate_sampling_rate(
            reconstruction_sampling_rate, "reconstruction_sampling_rate"
        )
        if reconstruction_sampling_rate != sampling_rate:
            raise ValueError(
                f"reference is at {sampling_rate} Hz but reconstruction at "
                f"{reconstruction_sampling_rate} Hz; resample one of them first "
                "(xy_tokenizer.evaluation.resample)"
            )
    reference = validate_waveform(reference, "reference")
    reconstruction = validate_waveform(reconstruction, "reconstruction")
    difference = abs(reference.shape[0] - reconstruction.shape[0])
    limit = config.max_length_mismatch_seconds
    if limit is not None and difference > limit * sampling_rate:
        raise ValueError(
            f"reference ({reference.shape[0]} samples) and reconstruction "
            f"({reconstruction.shape[0]} samples) differ by {difference / sampling_rate:.3f} s, "
            f"more than max_length_mismatch_seconds={limit}; are they the same clip?"
        )
    num_common = min(reference.shape[0], reconstruction.shape[0])
    return reference[:num_common], reconstruction[:num_common]


def resample(waveform: Any, orig_sampling_rate: int, target_sampling_rate: int, quality: str = "HQ") -> np.ndarray:
    """Resample a mono waveform with ``soxr``.

    Args:
        waveform: Audio, shape ``(num_samples,)``.
        orig_sampling_rate: Its rate in Hz.
        target_sampling_rate: Wanted rate in Hz.
        quality: ``soxr`` quality preset (``"QQ"``, ``"LQ"``, ``"MQ"``, ``"HQ"``, ``"VHQ"``).

    Returns:
        ``float64`` array of shape ``(round(num_samples * target / orig),)``; the input itself
        (validated) when both rates are equal.
    """
    waveform = validate_waveform(waveform)
    orig_sampling_rate = validate_sampling_rate(orig_sampling_rate, "orig_sampling_rate")
    target_sampling_rate = validate_sampling_rate(target_sampling_rate, "target_sampling_rate")
    if orig_sampling_rate == target_sampling_rate:
        return waveform
    import soxr

    return np.asarray(
        soxr.resample(waveform, orig_sampling_rate, target_sampling_rate, quality=quality), dtype=np.float64
    )
