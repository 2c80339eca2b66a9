"""Decode a column of XY-Tokenizer codes back to audio (the inverse of `tokenize_dataset`)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import datasets
import numpy as np
import torch

from ..modeling_xy_tokenizer import XYTokenizerModel
from .buckets import length_buckets
from .fingerprint import model_fingerprint, transform_fingerprint
from .processes import ModelMapFunction, threads_per_process
from .sharded_map import DEFAULT_SHARD_SIZE, MapPlan, run_model_map

# Rows per `.map` batch when decoding (each row becomes up to frames × 1280+ float samples).
DEFAULT_DECODE_MAP_BATCH_SIZE = 32

# Padded code frames per forward pass: 3000 frames = 4 minutes at 12.5 Hz, as on the encode side.
DEFAULT_MAX_BATCH_FRAMES = 3000


def decoded_audio_features() -> datasets.Features:
    """Type of a decoded cell: `{"array": float32 samples, "sampling_rate": Hz}` (datasets' decoded layout)."""
    samples = datasets.List(datasets.Value("float32"))
    return datasets.Features({"array": samples, "sampling_rate": datasets.Value("int32")})


@dataclass(frozen=True)
class DecodeSettings:
    """What every `.map` process needs to turn code cells into audio.

    Args:
        audio_column: output column of `{"array", "sampling_rate"}` cells.
        num_quantizers: use the first `num_quantizers` code rows of every cell (all rows when None).
        max_batch_frames: padded code frames per forward pass.
        window_batch_size: windows per forward pass inside `model.decode` (all by default).
        device: device for the model in every process, or None (see `device_for_process`).
        threads: torch threads per worker process, or None to keep torch's setting.
    """

    audio_column: str
    num_quantizers: int | None
    max_batch_frames: int
    window_batch_size: int | None
    device: str | None
    threads: int | None

    def __post_init__(self):
        if not isinstance(self.max_batch_frames, int) or self.max_batch_frames < 1:
            raise ValueError(f"max_batch_frames must be a positive int, got {self.max_batch_frames!r}.")


def as_code_array(cell: Any, row: int) -> np.ndarray:
    """A codes cell (`num_quantizers` lists of `frames` ints, python or numpy format) →
    `(num_quantizers, frames)` int64."""
    if cell is None:
        raise ValueError(f"Row {row}: the codes cell is empty (None).")
    codes = np.asarray(cell)
    if codes.dtype == object:  # ragged rows as datasets' numpy format returns them
        lengths = {len(stage) for stage in codes}
        if len(lengths) != 1:
            raise ValueError(f"Row {row}: code rows have different lengths {sorted(lengths)}.")
        codes = np.stack([np.asarray(stage) for stage in codes]) if lengths != {0} else np.zeros((len(codes), 0))
    if codes.ndim != 2:
        raise ValueError(f"Row {row}: codes must be (num_quantizers, frames), got shape {codes.shape}.")
    if codes.size and not np.issubdtype(codes.dtype, np.integer):
        raise TypeError(f"Row {row}: codes must be integers, got dtype {codes.dtype}.")
    return codes.astype(np.int64)


def _select_quantizers(
    codes: Sequence[np.ndarray], num_quantizers: int | None, rows: Sequence[int]
) -> list[np.ndarray]:
    """Cut every cell to the same number of code rows, or explain which rows disagree."""
    stages = sorted({item.shape[0] for item in codes})
    if num_quantizers is None:
        if len(stages) > 1:
            raise ValueError(
                f"Rows {list(rows)} have different numbers of code rows {stages}; "
                "pass num_quantizers= to use the first n."
            )
        return list(codes)
    too_few = [row for row, item in zip(rows, codes) if item.shape[0] < num_quantizers]
    if too_few:
        raise ValueError(f"Rows {too_few} have fewer than num_quantizers={num_quantizers} code rows.")
    return [item[:num_quantizers] for item in codes]


@torch.inference_mode()
def decode_codes(
    model: XYTokenizerModel, codes: Sequence[np.ndarray], settings: DecodeSettings, rows: Sequence[int]
) -> list[np.ndarray]:
    """Audio of each codes array, in input order, decoded in length-sorted sub-batches.

    Args:
        codes: `(num_quantizers, frames_i)` integer arrays.
        rows: each item's dataset row, for error messages.

    Returns:
        float32 `(frames_i * output_samples_per_code,)` at `model.config.output_sampling_rate`; empty
        for 0 frames. Identical to decoding each item alone (the model is batch-invariant).
    """
    codes = _select_quantizers(codes, settings.num_quantizers, rows)
    audio: list[np.ndarray | None] = [np.zeros(0, np.float32) if item.shape[1] == 0 else None for item in codes]
    decodable = [index for index, item in enumerate(audio) if item is None]
    for group in length_buckets([codes[index].shape[1] for index in decodable], settings.max_batch_frames):
        members = [decodable[position] for position in group]
        longest = max(codes[index].shape[1] for index in members)
        batch = torch.zeros(len(members), codes[members[0]].shape[0], longest, dtype=torch.long)
        mask = torch.zeros(len(members), longest, dtype=torch.long)
        for batch_row, index in enumerate(members):
            batch[batch_row, :, : codes[index].shape[1]] = torch.from_numpy(codes[index])
            mask[batch_row, : codes[index].shape[1]] = 1
        output = model.decode(
            batch.to(model.device), mask.to(model.device), window_batch_size=settings.window_batch_size
        )
        lengths = output.padding_mask.sum(-1).tolist()
        for batch_row, index in enumerate(members):
            audio[index] = output.audio_values[batch_row, 0, : lengths[batch_row]].float().cpu().numpy()
    return audio


class DecodeBatch(ModelMapFunction):
    """The `.map(batched=True, with_indices=True[, with_rank=True])` function: code cells → audio cells."""

    def __init__(self, model: XYTokenizerModel, settings: DecodeSettings):
        super().__init__(model, settings.device, settings.threads)
        self.settings = settings

    def __call__(
        self, cells: Sequence[Any], indices: Sequence[int], rank: int | None = None, row_offset: int = 0
    ) -> dict[str, list]:
        model = self.ready_model(rank)
        rows = [row_offset + int(index) for index in indices]
        codes = [as_code_array(cell, row) for cell, row in zip(cells, rows)]
        audio = decode_codes(model, codes, self.settings, rows) if codes else []
        rate = model.config.output_sampling_rate
        return {self.settings.audio_column: [{"array": samples, "sampling_rate": rate} for samples in audio]}


def _check_decode_arguments(
    dataset: Any, model: Any, codes_column: str, num_quantizers: int | None, num_proc: int | None
) -> None:
    if not isinstance(model, XYTokenizerModel):
        raise TypeError(f"model must be an XYTokenizerModel, got {type(model).__name__}.")
    if num_quantizers is not None and not 1 <= num_quantizers <= model.config.num_quantizers:
        raise ValueError(f"num_quantizers must be in 1…{model.config.num_quantizers}, got {num_quantizers!r}.")
    if num_proc is not None and num_proc > 1 and model.device.type != "cpu":
        raise ValueError(
            f"With num_proc={num_proc} keep the model on the CPU (it is on {model.device}); each worker moves its copy."
        )
    if dataset.features is not None and codes_column not in dataset.features:
        raise ValueError(
            f"Codes column {codes_column!r} not found; the dataset has columns {sorted(dataset.features)}."
        )


def decode_dataset(
    dataset: datasets.Dataset | datasets.IterableDataset,
    model: XYTokenizerModel,
    codes_column: str = "audio_codes",
    *,
    audio_column: str = "decoded_audio",
    num_quantizers: int | None = None,
    map_batch_size: int = DEFAULT_DECODE_MAP_BATCH_SIZE,
    max_batch_frames: int = DEFAULT_MAX_BATCH_FRAMES,
    window_batch_size: int | None = None,
    num_proc: int | None = None,
    device: str | None = None,
    cache_dir: str | Path | None = None,
    shard_size: int = DEFAULT_SHARD_SIZE,
    load_from_cache_file: bool = True,
) -> datasets.Dataset | datasets.IterableDataset:
    """Add `audio_column` = `{"array": float32 samples, "sampling_rate": model.config.output_sampling_rate}`
    decoded from `codes_column` (as written by `tokenize_dataset`: `num_quantizers` lists of ints per row).

    Rows with 0 code frames get an empty array. Batching, caching/resume, `num_proc` and `device`
    work as in `tokenize_dataset`. The audio is a plain struct column rather than an `Audio` feature
    because datasets encodes arrays into `Audio` with torchcodec, which we do not require.

    Args:
        dataset: the dataset; its other columns are kept.
        model: the codec, in eval mode (on the CPU when `num_proc > 1`).
        codes_column: column of codes.
        audio_column: name of the new audio column.
        num_quantizers: decode with the first `num_quantizers` code rows of each cell (all by default;
            rows must then all have the same number).
        map_batch_size: rows per `.map` batch (the sorting window).
        max_batch_frames: padded code frames per forward pass (memory bound).
        window_batch_size, num_proc, device, cache_dir, shard_size, load_from_cache_file: as in `tokenize_dataset`.

    Returns:
        The dataset with `audio_column` added, in the original row order.
    """
    _check_decode_arguments(dataset, model, codes_column, num_quantizers, num_proc)
    threads = threads_per_process(num_proc, os.cpu_count())
    settings = DecodeSettings(audio_column, num_quantizers, max_batch_frames, window_batch_size, device, threads)
    features = None
    if dataset.features is not None:
        features = datasets.Features({**dataset.features, audio_column: decoded_audio_features()})
    options = {"task": "decode", "audio": audio_column, "codes": codes_column, "num_quantizers": num_quantizers}
    return run_model_map(
        dataset,
        DecodeBatch(model, settings),
        input_column=codes_column,
        features=features,
        remove_columns=[],
        fingerprint=lambda: transform_fingerprint(dataset._fingerprint, model_fingerprint(model), options),
        plan=MapPlan(map_batch_size, num_proc, cache_dir, shard_size, load_from_cache_file, desc="Decoding codes"),
    )
