"""Builders shared by the datasets tests: real clips, Audio datasets, reference codes.

Audio columns are built from `{"bytes", "path"}` cells and cast to `Audio()`: datasets would need
torchcodec to encode arrays into an Audio column, and we must not depend on it."""

import io
from contextlib import contextmanager

import datasets
import numpy as np
import soundfile
import torch
from helpers import DATA_DIR

from xy_tokenizer.modeling_xy_tokenizer import XYTokenizerModel

SPEECH = DATA_DIR / "speech"
CLIP_16K = SPEECH / "xy_2.flac"
CLIP_24K = SPEECH / "moss_m1.wav"

# Unsorted lengths from 0.1 s to 4.5 s at 16 kHz, so that bucketing has something to reorder.
MIXED_LENGTHS = [20000, 1600, 72000, 5000, 31000, 12800, 48000, 2600]


def flac_bytes(audio: np.ndarray, rate: int) -> bytes:
    buffer = io.BytesIO()
    soundfile.write(buffer, audio, rate, format="FLAC", subtype="PCM_24")
    return buffer.getvalue()


def crops(speech: np.ndarray, lengths: list[int]) -> list[np.ndarray]:
    """Clips of the given lengths cut at different offsets of one real recording."""
    return [speech[(7919 * i) % (len(speech) - n) :][:n].copy() for i, n in enumerate(lengths)]


def audio_dataset(clips: list[np.ndarray], rate: int = 16000, paths: dict | None = None) -> datasets.Dataset:
    """An `Audio()` column (decode=True, as load_dataset gives) of FLAC bytes, or file paths for the
    rows in `paths`, plus an `id` column."""
    paths = paths or {}
    cells = [
        {"bytes": None, "path": str(paths[row])} if row in paths else {"bytes": flac_bytes(clip, rate), "path": None}
        for row, clip in enumerate(clips)
    ]
    table = datasets.Dataset.from_dict({"audio": cells, "id": list(range(len(clips)))})
    return table.cast_column("audio", datasets.Audio())


def read_flac(data: bytes) -> np.ndarray:
    return soundfile.read(io.BytesIO(data), dtype="float32")[0]


@torch.no_grad()
def encode_alone(model: XYTokenizerModel, clip: np.ndarray, num_quantizers: int | None = None) -> np.ndarray:
    """Reference: one clip (samples,) at 16 kHz encoded on its own → (num_quantizers, frames) int64."""
    output = model.encode(torch.from_numpy(clip)[None, None], num_quantizers=num_quantizers)
    return output.audio_codes[0].numpy()


def codes_of(dataset, column: str = "audio_codes") -> list[np.ndarray]:
    """A codes column as (num_quantizers, frames) int64 arrays (column access: never decodes Audio)."""
    return [np.asarray(cell, dtype=np.int64).reshape(len(cell), -1) for cell in dataset[column]]


def assert_same_codes(actual: list[np.ndarray], expected: list[np.ndarray]):
    assert len(actual) == len(expected)
    for row, (a, b) in enumerate(zip(actual, expected)):
        assert a.shape == b.shape and np.array_equal(a, b), f"row {row}: {a.shape} vs {b.shape}"


@contextmanager
def one_torch_thread():
    """Tiny models gain nothing from threads, and on a shared 2-core machine idle-spinning OpenMP
    threads make them ~50x slower (worker processes set their own count anyway)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)
