"""A map-style dataset of training items: decoded, resampled, randomly cropped audio (+ transcript).

Decoding uses soundfile and resampling soxr (``xy_tokenizer.audio_io``): no ffmpeg or torchcodec.
Crops are drawn from a generator seeded by ``(seed, epoch, index)``, so an item's crop does not depend
on worker processes, ranks or how many items were drawn before it — which is what makes resuming a
run mid-epoch reproduce the uninterrupted run exactly.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import soundfile
import torch

from ..audio_io import resample, to_mono

logger = logging.getLogger(__name__)


def read_audio(value: Any, root: str | Path | None = None) -> tuple[np.ndarray, int]:
    """Decode one audio cell into mono float32 at its own rate: ``((samples,), rate)``.

    Accepts a path, a ``{'bytes', 'path'}`` dict (an undecoded ``datasets.Audio`` cell), a
    ``{'array', 'sampling_rate'}`` dict (a decoded one), or an object with ``get_all_samples()``
    (a torchcodec decoder, when the user's datasets decodes with it).
    """
    if isinstance(value, Mapping) and value.get("array") is not None:
        if value.get("sampling_rate") is None:
            raise ValueError("A decoded audio cell needs 'sampling_rate' next to 'array'")
        return to_mono(np.asarray(value["array"], dtype=np.float32)), int(value["sampling_rate"])
    if hasattr(value, "get_all_samples"):
        samples = value.get_all_samples()
        return samples.data.float().mean(0).numpy(), int(samples.sample_rate)
    if isinstance(value, Mapping) and value.get("bytes") is not None:
        source: Any = io.BytesIO(value["bytes"])
    else:
        path = value.get("path") if isinstance(value, Mapping) else value
        if not isinstance(path, (str, Path)):
            raise ValueError(f"Cannot read audio from a {type(value).__name__}: expected a path or an Audio cell")
        path = Path(path)
        source = str(path if path.is_absolute() or root is None else Path(root) / path)
    try:
        audio, rate = soundfile.read(source, dtype="float32", always_2d=False)
    except (RuntimeError, soundfile.LibsndfileError) as error:
        raise ValueError(f"soundfile cannot decode {value if isinstance(value, str) else source}: {error}") from error
    return to_mono(np.asarray(audio, dtype=np.float32)), int(rate)


def nested_get(row: Mapping, column: str) -> Any:
    """``row['a']['b']`` for ``column='a.b'`` (falls back to a literal key containing the dot)."""
    if column in row:
        return row[column]
    value: Any = row
    for key in column.split("."):
        if not isinstance(value, Mapping) or key not in value:
            raise KeyError(f"Column {column!r} not found; the item has keys {sorted(row)}")
        value = value[key]
    return value


@dataclass
class CropPolicy:
    """How items are cut, all in input samples at ``sampling_rate``.

    Args:
        sampling_rate: encoder input rate (16 kHz).
        output_sampling_rate: decoder output rate; targets are made at this rate from the original audio.
        samples_per_code: input samples per code frame (1280); every item is a whole number of frames.
        max_samples: longest item the model takes (its window).
        crop_samples: random crop length, or None for whole items (up to ``max_samples``).
    """

    sampling_rate: int
    output_sampling_rate: int
    samples_per_code: int
    max_samples: int
    crop_samples: int | None = None

    def __post_init__(self) -> None:
        if self.crop_samples is not None:
            self.crop_samples = (
                min(self.crop_samples, self.max_samples) // self.samples_per_code * self.samples_per_code
            )
            if self.crop_samples < self.samples_per_code:
                raise ValueError(f"The crop must hold at least one code frame ({self.samples_per_code} samples)")

    def window(self, num_samples: int, rng: np.random.Generator) -> tuple[int, int, bool]:
        """``(start, length, cropped)`` in input samples for an item of ``num_samples``."""
        limit = self.crop_samples if self.crop_samples is not None else self.max_samples
        length = max(min(num_samples, limit) // self.samples_per_code, 1) * self.samples_per_code
        cropped = num_samples > limit
        start = int(rng.integers(0, max(num_samples - length, 0) + 1)) if cropped else 0
        return start, length, cropped


def cut(
    audio: np.ndarray, rate: int, start_seconds: float, seconds: float, target_rate: int, length: int
) -> np.ndarray:
    """The ``[start, start + seconds)`` span of ``audio`` at ``target_rate``, exactly ``length`` samples
    (zero-padded when the source is shorter, e.g. a clip under one code frame)."""
    first = round(start_seconds * rate)
    last = round((start_seconds + seconds) * rate)
    piece = resample(audio[first:last], rate, target_rate)
    if piece.shape[0] < length:
        piece = np.pad(piece, (0, length - piece.shape[0]))
    return piece[:length].astype(np.float32, copy=False)


class AudioTextDataset(torch.utils.data.Dataset):
    """Items ``{'input_values': (samples,), 'target_values': (output_samples,) | None, 'text': str | None}``.

    ``target_values`` is None when the decoder writes the input rate (the input is the target); ``text`` is None when the item has no transcript or was cropped (the transcript would not match).

    Args:
        dataset: any sequence of row mappings (a ``datasets.Dataset`` with its Audio column undecoded).
        crop: how to cut items.
        audio_column / text_column: column names (``text_column`` may be None; 'a.b' reads nested fields).
        audio_root: base folder of relative paths.
        seed: base seed of the crops.
    """

    def __init__(
        self,
        dataset: Sequence[Mapping],
        crop: CropPolicy,
        audio_column: str = "audio",
        text_column: str | None = "text",
        audio_root: str | Path | None = None,
        seed: int = 0,
    ) -> None:
        self.dataset = dataset
        self.crop = crop
        self.audio_column = audio_column
        self.text_column = text_column
        self.audio_root = audio_root
        self.seed = seed
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:
        """Called by the Trainer (through the DataLoader) at every epoch: crops change per epoch."""
        self.epoch = int(epoch)

    def __len__(self) -> int:
        return len(self.dataset)

    def transcript(self, row: Mapping) -> str | None:
        if self.text_column is None:
            return None
        text = nested_get(row, self.text_column)
        return text.strip() if isinstance(text, str) and text.strip() else None

    def __getitem__(self, index: int) -> dict[str, Any]:
        row = self.dataset[index]
        audio, rate = read_audio(nested_get(row, self.audio_column), self.audio_root)
        if audio.size == 0:
            raise ValueError(f"Item {index} has no audio samples")
        policy = self.crop
        num_samples = round(audio.shape[0] * policy.sampling_rate / rate)
        rng = np.random.default_rng([self.seed, self.epoch, index])
        start, length, cropped = policy.window(num_samples, rng)
        start_s, seconds = start / policy.sampling_rate, length / policy.sampling_rate
        inputs = cut(audio, rate, start_s, seconds, policy.sampling_rate, length)
        targets = None  # the input is the target
        if policy.output_sampling_rate != policy.sampling_rate:
            output_length = length * policy.output_sampling_rate // policy.sampling_rate
            targets = cut(audio, rate, start_s, seconds, policy.output_sampling_rate, output_length)
        return {"input_values": inputs, "target_values": targets, "text": None if cropped else self.transcript(row)}
