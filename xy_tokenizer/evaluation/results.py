"""Container of per-clip metric rows and their means."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

from .config import AlignmentConfig, MelSpectrogramConfig, PesqConfig, StoiConfig, TextNormalizationConfig


@dataclass(frozen=True)
class EvaluationConfig:
    """All settings :func:`~xy_tokenizer.evaluation.evaluate_pairs` uses, grouped by metric."""

    alignment: AlignmentConfig = AlignmentConfig()
    stoi: StoiConfig = StoiConfig()
    pesq: PesqConfig = PesqConfig()
    mel: MelSpectrogramConfig = MelSpectrogramConfig()
    text_normalization: TextNormalizationConfig = TextNormalizationConfig()


@dataclass
class EvaluationResults:
    """Output of :func:`~xy_tokenizer.evaluation.evaluate_pairs`.

    Attributes:
        metrics: Metric names, in the order requested.
        sampling_rate: Rate (Hz) the metrics were computed at.
        rows: One dict per clip: ``clip_id``, ``duration_seconds`` (after trimming),
            ``length_difference_samples`` (``len(reconstruction) - len(reference)`` before
            trimming), one float per metric and, with WER, ``reference_text``,
            ``reference_text_source`` (``"given"`` or ``"asr"``) and ``transcript``.
        means: Mean of each metric over the clips.
        corpus_wer: With WER, total word errors / total reference words (longer clips weigh
            more than in ``means["wer"]``); otherwise ``None``.
        config: Settings used.
        models: Class names of the speaker/ASR models used, for the record.
    """

    metrics: tuple[str, ...]
    sampling_rate: int
    rows: list[dict[str, Any]]
    means: dict[str, float]
    corpus_wer: float | None = None
    config: EvaluationConfig = field(default_factory=EvaluationConfig)
    models: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (NaN/inf become ``None``)."""
        return _json_safe(
            {
                "metrics": list(self.metrics),
                "sampling_rate": self.sampling_rate,
                "num_clips": len(self.rows),
                "means": self.means,
                "corpus_wer": self.corpus_wer,
                "rows": self.rows,
                "models": self.models,
                "config": dataclasses.asdict(self.config),
            }
        )


def _json_safe(value: Any) -> Any:
    """Recursively convert NumPy scalars to Python ones and non-finite floats to ``None``."""
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(item) for item in value]
    if hasattr(value, "item") and callable(value.item) and getattr(value, "ndim", None) == 0:
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
