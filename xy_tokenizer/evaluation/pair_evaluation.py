"""Evaluate many (original, reconstruction) pairs at once: per-clip rows plus means."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .asr_models import ASRModel, check_asr_model
from .error_rates import word_edit_counts
from .intelligibility import stoi
from .mel_distance import mel_distance
from .metric_catalog import SIGNAL_METRICS, check_metric_names
from .perceptual_quality import pesq
from .results import EvaluationConfig, EvaluationResults
from .speaker_models import SpeakerModel, check_speaker_model, default_speaker_model
from .speaker_similarity import cosine_similarity
from .waveforms import align_pair, resample, validate_sampling_rate, validate_waveform


def _as_clip_list(clips: Any, name: str) -> list[Any]:
    """A sequence of waveforms as a list, rejecting a single bare waveform."""
    if isinstance(clips, np.ndarray) and clips.ndim == 1:
        raise ValueError(f"{name} must be a sequence of waveforms, got one 1-D array; wrap it in a list")
    clips = list(clips)
    if not clips:
        raise ValueError(f"{name} is empty")
    for index, clip in enumerate(clips):
        if np.ndim(clip) == 0:
            raise ValueError(f"{name}[{index}] is a scalar; {name} must be a sequence of waveforms")
    return clips


def evaluate_pairs(
    references: Sequence[Any],
    reconstructions: Sequence[Any],
    sampling_rate: int,
    metrics: Sequence[str] = SIGNAL_METRICS,
    speaker_model: SpeakerModel | None = None,
    asr_model: ASRModel | None = None,
    references_text: Sequence[str] | None = None,
    clip_ids: Sequence[str] | None = None,
    reconstruction_sampling_rate: int | None = None,
    resample_reconstructions: bool = False,
    config: EvaluationConfig = EvaluationConfig(),
) -> EvaluationResults:
    """Score each reconstruction against its reference with the requested metrics.

    Each pair is validated and trimmed to its common length first
    (:func:`~xy_tokenizer.evaluation.waveforms.align_pair`); every metric then sees the same
    trimmed signals. Any failing clip raises: no score is silently dropped.

    Args:
        references: ``num_clips`` original waveforms, each of shape ``(num_samples_i,)``.
        reconstructions: ``num_clips`` codec outputs, each of shape ``(num_samples_i ± a few,)``.
        sampling_rate: Rate of ``references`` in Hz; metrics are computed at this rate.
        metrics: Names from :data:`~xy_tokenizer.evaluation.metric_catalog.METRICS`; default the
            model-free ones (``stoi``, ``pesq_nb``, ``pesq_wb``, ``mel_distance``).
        speaker_model: Model for ``speaker_similarity``; ``None`` uses Resemblyzer.
        asr_model: Model for ``wer``; required when ``wer`` is requested.
        references_text: Ground-truth transcripts (``num_clips`` strings). Without them the WER
            reference is the ASR transcript of the original audio, so WER then measures how much
            the codec changes what the recogniser hears.
        clip_ids: Names for the rows; default ``clip_000``, ``clip_001``, ...
        reconstruction_sampling_rate: Rate of ``reconstructions`` if it differs from
            ``sampling_rate`` (e.g. a 24 kHz decoder on 16 kHz input).
        resample_reconstructions: Allow resampling reconstructions to ``sampling_rate`` with
            ``soxr`` when the rates differ; otherwise differing rates raise ``ValueError``.
        config: Settings of every metric.

    Returns:
        :class:`~xy_tokenizer.evaluation.results.EvaluationResults`.

    Raises:
        ValueError: on bad audio, mismatched counts, unknown metrics, differing rates without
            ``resample_reconstructions``, or ``wer`` without ``asr_model``.
    """
    metrics = check_metric_names(metrics)
    sampling_rate = validate_sampling_rate(sampling_rate)
    references = _as_clip_list(references, "references")
    reconstructions = _as_clip_list(reconstructions, "reconstructions")
    if len(references) != len(reconstructions):
        raise ValueError(f"got {len(references)} references but {len(reconstructions)} reconstructions")
    num_clips = len(references)
    if clip_ids is None:
        clip_ids = [f"clip_{index:03d}" for index in range(num_clips)]
    clip_ids = [str(clip_id) for clip_id in clip_ids]
    if len(clip_ids) != num_clips:
        raise ValueError(f"got {len(clip_ids)} clip_ids for {num_clips} clips")
    if references_text is not None:
        references_text = list(references_text)
        if len(references_text) != num_clips:
            raise ValueError(f"got {len(references_text)} references_text for {num_clips} clips")

    if reconstruction_sampling_rate is not None:
        reconstruction_sampling_rate = validate_sampling_rate(
            reconstruction_sampling_rate, "reconstruction_sampling_rate"
        )
        if reconstruction_sampling_rate != sampling_rate:
            if not resample_reconstructions:
                raise ValueError(
                    f"references are at {sampling_rate} Hz but reconstructions at "
                    f"{reconstruction_sampling_rate} Hz; pass resample_reconstructions=True to "
                    "resample them to the reference rate"
                )
            reconstructions = [
                resample(
                    validate_waveform(clip, f"reconstructions[{index}]"), reconstruction_sampling_rate, sampling_rate
                )
                for index, clip in enumerate(reconstructions)
            ]

    models: dict[str, str] = {}
    if "speaker_similarity" in metrics:
        speaker_model = default_speaker_model() if speaker_model is None else check_speaker_model(speaker_model)
        models["speaker_model"] = type(speaker_model).__name__
    if "wer" in metrics:
        if asr_model is None:
            raise ValueError("metric 'wer' needs asr_model, e.g. FasterWhisperASR(bundled_faster_whisper_model_dir())")
        asr_model = check_asr_model(asr_model)
        models["asr_model"] = type(asr_model).__name__

    rows: list[dict[str, Any]] = []
    total_word_errors = 0
    total_reference_words = 0
    for index in range(num_clips):
        reference_length = np.shape(references[index])[-1]
        reconstruction_length = np.shape(reconstructions[index])[-1]
        try:
            reference, reconstruction = align_pair(
                references[index], reconstructions[index], sampling_rate, config=config.alignment
            )
        except ValueError as error:
            raise ValueError(f"clip {clip_ids[index]!r}: {error}") from error
        row: dict[str, Any] = {
            "clip_id": clip_ids[index],
            "duration_seconds": reference.shape[0] / sampling_rate,
            "length_difference_samples": int(reconstruction_length - reference_length),
        }
        for name in metrics:
            if name == "stoi":
                row[name] = stoi(reference, reconstruction, sampling_rate, config.stoi, config.alignment)
            elif name in ("pesq_nb", "pesq_wb"):
                row[name] = pesq(reference, reconstruction, sampling_rate, name[-2:], config.pesq, config.alignment)
            elif name == "mel_distance":
                row[name] = mel_distance(reference, reconstruction, sampling_rate, config.mel, config.alignment)
            elif name == "speaker_similarity":
                row[name] = cosine_similarity(
                    speaker_model.embed(reference, sampling_rate), speaker_model.embed(reconstruction, sampling_rate)
                )
            elif name == "wer":
                if references_text is not None:
                    row["reference_text"], row["reference_text_source"] = references_text[index], "given"
                else:
                    row["reference_text"] = asr_model.transcribe(reference, sampling_rate)
                    row["reference_text_source"] = "asr"
                row["transcript"] = asr_model.transcribe(reconstruction, sampling_rate)
                counts = word_edit_counts(row["reference_text"], row["transcript"], config.text_normalization)
                if counts.reference_length == 0:
                    raise ValueError(f"clip {clip_ids[index]!r}: the WER reference text has no words")
                row[name] = counts.error_rate
                total_word_errors += counts.errors
                total_reference_words += counts.reference_length
        rows.append(row)

    means = {name: float(np.mean([row[name] for row in rows])) for name in metrics}
    corpus_wer = total_word_errors / total_reference_words if "wer" in metrics else None
    return EvaluationResults(
        metrics=metrics,
        sampling_rate=sampling_rate,
        rows=rows,
        means=means,
        corpus_wer=corpus_wer,
        config=config,
        models=models,
    )
