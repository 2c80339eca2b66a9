"""Writers of :class:`EvaluationResults`: a markdown table and a JSON file."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

from .metric_catalog import METRICS
from .results import EvaluationResults

# Decimal places of metric values in the markdown table.
MARKDOWN_DECIMALS = 3


def _format_value(value: object) -> str:
    if isinstance(value, float):
        return "n/a" if not math.isfinite(value) else f"{value:.{MARKDOWN_DECIMALS}f}"
    return str(value).replace("|", "\\|")


def format_markdown(results: EvaluationResults) -> str:
    """GitHub-flavoured markdown: one row per clip, a bold mean row, a legend and, with WER, transcripts."""
    headers = ["clip", "seconds"] + [
        f"{name} {'↑' if METRICS[name].higher_is_better else '↓'}" for name in results.metrics
    ]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(["---"] + ["---:"] * (len(headers) - 1)) + "|"]
    for row in results.rows:
        cells = [_format_value(row["clip_id"]), f"{row['duration_seconds']:.2f}"]
        cells += [_format_value(row[name]) for name in results.metrics]
        lines.append("| " + " | ".join(cells) + " |")
    total_seconds = sum(row["duration_seconds"] for row in results.rows)
    mean_cells = ["**mean**", f"{total_seconds:.2f}"] + [
        f"**{_format_value(results.means[name])}**" for name in results.metrics
    ]
    lines.append("| " + " | ".join(mean_cells) + " |")
    lines.append("")
    lines.append(f"{len(results.rows)} clips at {results.sampling_rate} Hz; seconds column: total in the mean row.")
    if results.corpus_wer is not None:
        lines.append(f"Corpus WER (all errors / all reference words): {_format_value(results.corpus_wer)}.")
    for name in results.metrics:
        lines.append(f"- `{name}`: {METRICS[name].description}")
    if results.models:
        lines.append("- models: " + ", ".join(f"{key} = {value}" for key, value in results.models.items()))
    if "wer" in results.metrics:
        lines += ["", "| clip | reference text (source) | transcript of reconstruction |", "|---|---|---|"]
        for row in results.rows:
            lines.append(
                f"| {_format_value(row['clip_id'])} | {_format_value(row['reference_text'])} "
                f"({row['reference_text_source']}) | {_format_value(row['transcript'])} |"
            )
    return "\n".join(lines) + "\n"


def write_markdown(results: EvaluationResults, path: str | os.PathLike) -> Path:
    """Write :func:`format_markdown` to ``path`` (parents created); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(format_markdown(results), encoding="utf-8")
    return path


def write_json(results: EvaluationResults, path: str | os.PathLike) -> Path:
    """Write :meth:`EvaluationResults.to_dict` as indented JSON (NaN as ``null``); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(results.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8"
    )
    return path
