"""Reading the cells of a `datasets` audio column as mono float32 at the model's rate, without ffmpeg.

datasets 5.x decodes `Audio()` columns with torchcodec (and so ffmpeg). We never let it: an `Audio`
column is cast to `Audio(decode=False)` (a metadata-only change, no data rewrite) and its
`{"bytes", "path"}` cells are decoded with soundfile, then resampled with soxr.

Accepted cells:
- `{"bytes", "path"}` (an undecoded `Audio` cell): decoded from the bytes, else read from the path;
- `{"array", "sampling_rate"}` (a decoded cell, or a plain struct column);
- a path (`str` / `pathlib.Path`) or raw encoded file `bytes`;
- a raw array of samples, whose rate comes from the `sampling_rate=` argument.

Multi-channel audio is averaged to mono, as `datasets`' own decoder and `audio_io.load_audio` do;
for a 2-D array the shorter axis is taken as channels (a clip has more samples than channels).
Integer PCM arrays are scaled to [-1, 1]. Empty clips, NaN/inf samples and unknown cell types raise
a `ValueError`/`TypeError` naming the row.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import datasets
import numpy as np
import soundfile

from ..audio_io import resample, to_mono

# Full scale of integer PCM, to map it to [-1, 1] as soundfile does.
_INTEGER_FULL_SCALE = {np.dtype(np.int8): 2**7, np.dtype(np.int16): 2**15, np.dtype(np.int32): 2**31}


def undecoded_audio_column(
    dataset: datasets.Dataset | datasets.IterableDataset, column: str
) -> tuple[datasets.Dataset | datasets.IterableDataset, datasets.Audio | None]:
    """Check that `column` exists and, if it is a decoding `Audio` feature, cast it to `decode=False`.

    Returns the dataset to map over and the original `Audio` feature to restore afterwards (None when
    nothing was cast). Features unknown (some streaming datasets) means no check and no cast."""
    features = dataset.features
    if features is None:
        return dataset, None
    if column not in features:
        raise ValueError(f"Audio column {column!r} not found; the dataset has columns {sorted(features)}.")
    feature = features[column]
    if isinstance(feature, datasets.Audio) and feature.decode:
        return dataset.cast_column(column, datasets.Audio(sampling_rate=feature.sampling_rate, decode=False)), feature
    return dataset, None


def _read_encoded(source: Any, row: int) -> tuple[np.ndarray, int]:
    """Decode a file path or `io.BytesIO` with soundfile: `((samples,) or (samples, channels), rate)`."""
    try:
        audio, rate = soundfile.read(source, dtype="float32", always_2d=False)
    except (RuntimeError, soundfile.LibsndfileError, OSError) as error:
        name = source if isinstance(source, str) else "the stored bytes"
        raise ValueError(f"Row {row}: soundfile cannot decode {name}: {error}") from error
    return to_mono(np.asarray(audio, dtype=np.float32)), int(rate)


def stored_integer_type(feature: Any) -> str | None:
    """The integer dtype of an audio column's samples as stored ("int16", ...), or None for floats.

    Needed because datasets' numpy format widens every integer to int64, which hides the PCM scale."""
    if isinstance(feature, dict):
        feature = feature.get("array")
    while isinstance(feature, (datasets.List, datasets.LargeList, datasets.Sequence)):
        feature = feature.feature
    if isinstance(feature, datasets.Value) and np.issubdtype(np.dtype(feature.dtype), np.integer):
        return feature.dtype
    return None


def _as_float_mono(samples: Any, row: int, integer_type: str | None = None) -> np.ndarray:
    """A numeric array `(samples,)`, `(channels, samples)` or `(samples, channels)` → `(samples,)` float32.

    Integer samples are PCM scaled by the full scale of `integer_type` (their stored type), else of their dtype."""
    audio = np.asarray(samples)
    if audio.dtype == object:  # ragged nested lists/arrays as datasets' numpy format returns them
        try:
            audio = np.stack([np.asarray(channel) for channel in audio])
        except ValueError as error:
            raise ValueError(f"Row {row}: audio channels have different lengths.") from error
    if np.issubdtype(audio.dtype, np.integer):
        pcm_type = np.dtype(integer_type or audio.dtype)
        if pcm_type not in _INTEGER_FULL_SCALE:
            raise TypeError(
                f"Row {row}: integer samples of type {pcm_type} have no PCM scale; expected int8/16/32 or float."
            )
        audio = audio.astype(np.float32) / _INTEGER_FULL_SCALE[pcm_type]
    elif not np.issubdtype(audio.dtype, np.floating):
        raise TypeError(f"Row {row}: audio samples have dtype {audio.dtype}; expected float or int8/16/32 PCM.")
    if audio.ndim == 2:
        # Channels lie on the shorter axis: soundfile gives (samples, channels), torch (channels, samples).
        audio = audio.mean(axis=0) if audio.shape[0] <= audio.shape[1] else audio.mean(axis=1)
    elif audio.ndim != 1:
        raise ValueError(f"Row {row}: expected mono (samples,) or 2-D multi-channel audio, got shape {audio.shape}.")
    return audio.astype(np.float32, copy=False)


def _array_cell(cell: Mapping, row: int, sampling_rate: int | None, integer_type: str | None) -> tuple[np.ndarray, int]:
    rate = cell.get("sampling_rate")
    if rate is None:
        raise ValueError(f"Row {row}: an audio cell with 'array' needs 'sampling_rate' beside it.")
    rate = int(np.asarray(rate))
    if sampling_rate is not None and sampling_rate != rate:
        raise ValueError(f"Row {row}: the cell says {rate} Hz but sampling_rate={sampling_rate} was passed.")
    return _as_float_mono(cell["array"], row, integer_type), rate


def read_audio_cell(
    cell: Any, row: int, sampling_rate: int | None = None, integer_type: str | None = None
) -> tuple[np.ndarray, int]:
    """Decode one cell (see the module docstring) into `((samples,) float32 mono, rate)`.

    Args:
        cell: the cell's value, in python or numpy format.
        row: the cell's row in the dataset, for error messages.
        sampling_rate: rate of raw array cells (required for them); must agree with a dict cell's own rate.
        integer_type: stored type of integer samples (`stored_integer_type`), which sets their PCM scale.
    """
    if cell is None:
        raise ValueError(f"Row {row}: the audio cell is empty (None).")
    if isinstance(cell, Mapping):
        if cell.get("array") is not None:
            return _array_cell(cell, row, sampling_rate, integer_type)
        if cell.get("bytes") is not None:
            return _read_encoded(io.BytesIO(cell["bytes"]), row)
        if cell.get("path") is not None:
            return _read_encoded(str(cell["path"]), row)
        raise ValueError(
            f"Row {row}: an audio cell needs 'array' + 'sampling_rate', 'bytes' or 'path'; got keys {sorted(cell)}."
        )
    if isinstance(cell, (str, Path)):
        return _read_encoded(str(cell), row)
    if isinstance(cell, (bytes, bytearray)):
        return _read_encoded(io.BytesIO(bytes(cell)), row)
    if sampling_rate is None:
        raise ValueError(
            f"Row {row}: the audio column holds raw {type(cell).__name__} samples; pass sampling_rate= "
            "(their rate), or use {'array', 'sampling_rate'} cells or an Audio column."
        )
    return _as_float_mono(cell, row, integer_type), sampling_rate


def load_clip(
    cell: Any, row: int, target_rate: int, sampling_rate: int | None = None, integer_type: str | None = None
) -> np.ndarray:
    """One cell → mono float32 `(samples,)` at `target_rate` (soxr), refusing empty or non-finite audio."""
    audio, rate = read_audio_cell(cell, row, sampling_rate, integer_type)
    if audio.size == 0:
        raise ValueError(f"Row {row}: the audio clip is empty (0 samples).")
    if not np.isfinite(audio).all():
        raise ValueError(f"Row {row}: the audio contains NaN or infinite samples.")
    return resample(audio, rate, target_rate)
