"""Names, directions and descriptions of the metrics :func:`evaluate_pairs` can compute."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MetricInfo:
    """What a metric name means in reports.

    Attributes:
        name: Key in result rows and means.
        higher_is_better: Direction, shown as an arrow in the markdown table.
        needs_model: ``"speaker"`` or ``"asr"`` for model-based metrics, ``None`` for signal metrics.
        description: One line for report readers.
    """

    name: str
    higher_is_better: bool
    needs_model: str | None
    description: str


METRICS: dict[str, MetricInfo] = {
    info.name: info
    for info in (
        MetricInfo("stoi", True, None, "Short-Time Objective Intelligibility (pystoi), at most 1"),
        MetricInfo("pesq_nb", True, None, "PESQ narrow-band MOS-LQO at 8 kHz, at most about 4.55"),
        MetricInfo("pesq_wb", True, None, "PESQ wide-band MOS-LQO at 16 kHz, at most about 4.64"),
        MetricInfo("mel_distance", False, None, "mean |log-mel difference| (natural log, 80 mels)"),
        MetricInfo("speaker_similarity", True, "speaker", "cosine similarity of speaker embeddings"),
        MetricInfo("wer", False, "asr", "word error rate of the ASR transcript of the reconstruction"),
    )
}

SIGNAL_METRICS: tuple[str, ...] = tuple(name for name, info in METRICS.items() if info.needs_model is None)
"""Metrics that need no model; the default of :func:`evaluate_pairs`."""


def check_metric_names(metrics: object) -> tuple[str, ...]:
    """Return ``metrics`` as a tuple of known, unique names, or raise ``ValueError``."""
    if isinstance(metrics, str):
        metrics = (metrics,)
    names = tuple(metrics)  # type: ignore[arg-type]
    if not names:
        raise ValueError("metrics must name at least one metric")
    unknown = [name for name in names if name not in METRICS]
    if unknown:
        raise ValueError(f"unknown metrics {unknown}; choose from {list(METRICS)}")
    if len(set(names)) != len(names):
        raise ValueError(f"metrics contains duplicates: {list(names)}")
    return names
