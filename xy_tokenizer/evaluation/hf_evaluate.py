"""Glue between our plain metric functions and Hugging Face ``evaluate`` metric modules.

The metric scripts live in ``xy_tokenizer/evaluation/metrics/<name>/<name>.py`` and are loaded by
local path, so no hub access is needed::

    from xy_tokenizer.evaluation import load_evaluate_metric
    stoi = load_evaluate_metric("stoi")            # = evaluate.load(".../metrics/stoi")
    stoi.compute(predictions=[reconstruction], references=[original], sampling_rate=16000)
    # -> {"stoi": mean, "stoi_per_clip": [...]}

Audio metrics take ``predictions`` (reconstructions) and ``references`` (originals) as lists of
1-D float waveforms (stored as float32 by ``evaluate``) plus a ``sampling_rate`` keyword; the
``wer`` module takes lists of strings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from .dependencies import require

EVALUATE_METRICS_DIR = Path(__file__).resolve().parent / "metrics"
EVALUATE_METRIC_NAMES = ("stoi", "pesq", "mel_distance", "speaker_similarity", "wer")


def evaluate_metric_dir(name: str) -> Path:
    """Folder of the ``evaluate`` script for metric ``name`` (one of :data:`EVALUATE_METRIC_NAMES`)."""
    if name not in EVALUATE_METRIC_NAMES:
        raise ValueError(f"unknown evaluate metric {name!r}; choose from {list(EVALUATE_METRIC_NAMES)}")
    return EVALUATE_METRICS_DIR / name


def load_evaluate_metric(name: str, **load_kwargs: Any) -> Any:
    """``evaluate.load`` of our local metric script ``name``; ``load_kwargs`` go to ``evaluate.load``."""
    evaluate = require("evaluate", "evaluate>=0.4", "Loading an evaluate metric")
    return evaluate.load(str(evaluate_metric_dir(name)), **load_kwargs)


def waveform_pair_features() -> Any:
    """``datasets.Features`` of audio metric inputs: float32 sequences ``predictions`` and ``references``."""
    datasets = require("datasets", "datasets>=3.0", "evaluate metric features")
    return datasets.Features(
        {
            "predictions": datasets.Sequence(datasets.Value("float32")),
            "references": datasets.Sequence(datasets.Value("float32")),
        }
    )


def waveform_metric_info(description: str, citation: str, inputs_description: str) -> Any:
    """The ``evaluate.MetricInfo`` of a metric comparing predicted with reference waveforms."""
    evaluate = require("evaluate", "evaluate>=0.4", "evaluate metric modules")
    return evaluate.MetricInfo(
        description=description,
        citation=citation,
        inputs_description=inputs_description,
        features=waveform_pair_features(),
    )


def compute_per_clip(
    name: str,
    metric: Callable[..., float],
    predictions: Sequence[Any],
    references: Sequence[Any],
    sampling_rate: int | None,
    **metric_kwargs: Any,
) -> dict[str, Any]:
    """Apply ``metric(reference, prediction, sampling_rate, **metric_kwargs)`` to each pair.

    Args:
        name: Key of the mean in the output.
        metric: A plain pairwise metric function of this package.
        predictions: ``num_clips`` reconstructions, each of shape ``(num_samples_i,)``.
        references: ``num_clips`` originals, each of shape ``(num_samples_i,)``.
        sampling_rate: Rate of all clips in Hz (required).

    Returns:
        ``{name: mean over clips, name + "_per_clip": [score, ...]}``.
    """
    if sampling_rate is None:
        raise ValueError(f"{name}: pass sampling_rate=... to compute()")
    if len(predictions) != len(references):
        raise ValueError(f"{name}: got {len(predictions)} predictions but {len(references)} references")
    if not predictions:
        raise ValueError(f"{name}: no clips given")
    scores = [
        metric(
            np.asarray(reference, dtype=np.float32),
            np.asarray(prediction, dtype=np.float32),
            sampling_rate,
            **metric_kwargs,
        )
        for prediction, reference in zip(predictions, references, strict=True)
    ]
    return {name: float(np.mean(scores)), f"{name}_per_clip": scores}
