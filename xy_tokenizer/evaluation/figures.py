"""PNG figure of log-mel spectrograms, original next to reconstruction, one row per clip."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .config import AlignmentConfig, MelSpectrogramConfig
from .dependencies import require
from .mel_spectrogram import log_mel_spectrogram
from .waveforms import align_pair


@dataclass(frozen=True)
class FigureConfig:
    """Layout of :func:`write_mel_figure`.

    Attributes:
        panel_width_inches: Width of one spectrogram panel.
        panel_height_inches: Height of one spectrogram panel.
        dpi: Resolution of the PNG.
        dynamic_range: Colour range below each row's maximum, in natural-log units (8 ≈ 70 dB).
        colormap: Matplotlib colormap name.
    """

    panel_width_inches: float = 5.0
    panel_height_inches: float = 2.2
    dpi: int = 100
    dynamic_range: float = 8.0
    colormap: str = "magma"


def write_mel_figure(
    references: Sequence[Any],
    reconstructions: Sequence[Any],
    sampling_rate: int,
    path: str | os.PathLike,
    clip_ids: Sequence[str] | None = None,
    mel_config: MelSpectrogramConfig = MelSpectrogramConfig(),
    figure_config: FigureConfig = FigureConfig(),
    alignment: AlignmentConfig = AlignmentConfig(),
) -> Path:
    """Save a PNG with, per clip, the log-mel spectrogram of the original (left) and reconstruction (right).

    Uses Matplotlib's object API with the Agg canvas, so no display and no global backend change.
    Both panels of a row share the colour scale.

    Args:
        references: ``num_clips`` originals, each of shape ``(num_samples_i,)``.
        reconstructions: ``num_clips`` reconstructions (trimmed to the common length per pair).
        sampling_rate: Rate of all clips in Hz.
        path: Output ``.png`` path (parents created).
        clip_ids: Row titles; default ``clip_000``, ...
        mel_config: Spectrogram parameters (the same as the mel distance by default).
        figure_config: Layout.
        alignment: Length-mismatch policy.

    Returns:
        The written path.
    """
    require("matplotlib", "matplotlib>=3.7", "The spectrogram figure")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    references, reconstructions = list(references), list(reconstructions)
    if not references or len(references) != len(reconstructions):
        raise ValueError(
            f"need the same non-zero number of references ({len(references)}) "
            f"and reconstructions ({len(reconstructions)})"
        )
    clip_ids = [f"clip_{index:03d}" for index in range(len(references))] if clip_ids is None else list(clip_ids)
    if len(clip_ids) != len(references):
        raise ValueError(f"got {len(clip_ids)} clip_ids for {len(references)} clips")

    num_rows = len(references)
    figure = Figure(
        figsize=(2 * figure_config.panel_width_inches, num_rows * figure_config.panel_height_inches),
        dpi=figure_config.dpi,
        layout="constrained",
    )
    FigureCanvasAgg(figure)
    axes = np.atleast_2d(figure.subplots(num_rows, 2, squeeze=False))
    seconds_per_frame = mel_config.hop_length / sampling_rate
    for row, (reference, reconstruction, clip_id) in enumerate(zip(references, reconstructions, clip_ids, strict=True)):
        reference, reconstruction = align_pair(reference, reconstruction, sampling_rate, config=alignment)
        mels = [log_mel_spectrogram(signal, sampling_rate, mel_config) for signal in (reference, reconstruction)]
        top = max(float(mel.max()) for mel in mels)
        for column, (mel, title) in enumerate(zip(mels, ("original", "reconstruction"), strict=True)):
            axis = axes[row, column]
            image = axis.imshow(
                mel,
                origin="lower",
                aspect="auto",
                cmap=figure_config.colormap,
                vmin=top - figure_config.dynamic_range,
                vmax=top,
                extent=(0.0, mel.shape[1] * seconds_per_frame, 0, mel.shape[0]),
                interpolation="nearest",
            )
            axis.set_title(f"{clip_id}: {title}", fontsize=9)
            axis.set_xlabel("time (s)", fontsize=8)
            axis.set_ylabel("mel band", fontsize=8)
            axis.tick_params(labelsize=7)
        figure.colorbar(image, ax=axes[row, :].tolist(), label="log mel", shrink=0.9)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png")
    return path
