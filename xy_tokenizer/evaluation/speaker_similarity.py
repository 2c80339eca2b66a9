"""Speaker similarity: cosine similarity of speaker embeddings of reference and reconstruction."""

from __future__ import annotations

from typing import Any

import numpy as np

from .config import AlignmentConfig
from .speaker_models import SpeakerModel, check_speaker_model, default_speaker_model
from .waveforms import align_pair


def cosine_similarity(first: Any, second: Any) -> float:
    """Cosine of the angle between two embeddings.

    Args:
        first: Vector of shape ``(embedding_dim,)``.
        second: Vector of the same shape.

    Returns:
        Value in ``[-1, 1]``; 1 for parallel vectors.

    Raises:
        ValueError: on shape mismatch, non-finite values or a zero vector.
    """
    first = np.asarray(first, dtype=np.float64).reshape(-1)
    second = np.asarray(second, dtype=np.float64).reshape(-1)
    if first.shape != second.shape:
        raise ValueError(f"embeddings differ in shape: {first.shape} vs {second.shape}")
    if not (np.all(np.isfinite(first)) and np.all(np.isfinite(second))):
        raise ValueError("embeddings contain NaN or infinite values")
    norms = np.linalg.norm(first) * np.linalg.norm(second)
    if norms == 0:
        raise ValueError("cosine similarity is undefined for a zero embedding")
    return float(np.clip(np.dot(first, second) / norms, -1.0, 1.0))


def speaker_similarity(
    reference: Any,
    reconstruction: Any,
    sampling_rate: int,
    speaker_model: SpeakerModel | None = None,
    alignment: AlignmentConfig = AlignmentConfig(),
) -> float:
    """Cosine similarity of the speaker embeddings of both signals; 1.0 for identical audio.

    Args:
        reference: Original audio, shape ``(num_samples,)``.
        reconstruction: Codec output, shape ``(num_samples',)``; trimmed to the common length.
        sampling_rate: Rate of both signals in Hz.
        speaker_model: Object with ``embed(waveform, sampling_rate) -> (embedding_dim,)``;
            ``None`` uses :func:`~xy_tokenizer.evaluation.speaker_models.default_speaker_model`
            (Resemblyzer).
        alignment: Length-mismatch policy.

    Returns:
        Similarity in ``[-1, 1]`` (Resemblyzer embeddings are non-negative, so ``[0, 1]``).
    """
    reference, reconstruction = align_pair(reference, reconstruction, sampling_rate, config=alignment)
    model = default_speaker_model() if speaker_model is None else check_speaker_model(speaker_model)
    return cosine_similarity(model.embed(reference, sampling_rate), model.embed(reconstruction, sampling_rate))
