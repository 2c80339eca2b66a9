"""Tokenize the audio column of a `datasets.Dataset` / `IterableDataset` into XY-Tokenizer codes."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import datasets
import numpy as np
import torch

from ..modeling_xy_tokenizer import XYTokenizerModel
from .audio_cells import load_clip, stored_integer_type, undecoded_audio_column
from .buckets import length_buckets
from .fingerprint import model_fingerprint, transform_fingerprint
from .processes import ModelMapFunction, threads_per_process
from .sharded_map import DEFAULT_SHARD_SIZE, MapPlan, run_model_map

# Rows per `.map` batch: the window inside which clips are sorted by length. Larger windows pad
# less but hold more decoded audio in memory at once (64 clips of 30 s ≈ 120 MB of float32).
DEFAULT_MAP_BATCH_SIZE = 64

# Padded 16 kHz samples per forward pass (4 minutes): bounds the activations of one sub-batch.
DEFAULT_MAX_BATCH_SAMPLES = 16000 * 240

SHORT_CLIP_POLICIES = ("empty", "error")


def length_column_name(codes_column: str) -> str:
    """Name of the code-length column written beside `codes_column`."""
    return f"{codes_column}_length"


def codes_value_type(codebook_size: int) -> str:
    """Arrow integer type of stored codes: int16 (as the CLI's code files) while the codebook fits."""
    return "int16" if codebook_size <= np.iinfo(np.int16).max + 1 else "int32"


@dataclass(frozen=True)
class EncodeSettings:
    """What every `.map` process needs to turn audio cells into codes.

    Args:
        codes_column: output column of codes, `num_quantizers` lists of `frames` ints per row.
        sampling_rate: rate of raw-array cells (dict and file cells carry their own).
        integer_type: stored dtype of integer sample columns ("int16"...), which sets their PCM scale.
        num_quantizers: codebooks kept.
        short_clips: `"empty"`: clips under one code frame get 0 codes; `"error"`: ValueError.
        max_batch_samples: padded samples per forward pass.
        window_batch_size: windows per forward pass inside `model.encode` (all by default).
        device: device for the model in every process, or None (see `device_for_process`).
        threads: torch threads per worker process, or None to keep torch's setting.
    """

    codes_column: str
    sampling_rate: int | None
    integer_type: str | None
    num_quantizers: int
    short_clips: str
    max_batch_samples: int
    window_batch_size: int | None
    device: str | None
    threads: int | None

    def __post_init__(self):
        if not isinstance(self.max_batch_samples, int) or self.max_batch_samples < 1:
            raise ValueError(f"max_batch_samples must be a positive int, got {self.max_batch_samples!r}.")

    def output_options(self) -> dict[str, Any]:
        """The settings that change what is written: the part of the cache fingerprint from options.
        Batch sizes, device and threads are left out: the model is batch-invariant, so a rerun with
        other batch sizes still reuses finished shards."""
        return {name: asdict(self)[name] for name in ("codes_column", "sampling_rate", "num_quantizers", "short_clips")}


def pad_clips(clips: Sequence[np.ndarray], device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-pad mono clips `(samples_i,)` into `input_values` `(batch, 1, samples)` and
    `padding_mask` `(batch, samples)`."""
    longest = max(len(clip) for clip in clips)
    # Padded in numpy: the clips may be read-only views of Arrow memory, which torch.from_numpy dislikes.
    input_values = np.zeros((len(clips), 1, longest), dtype=np.float32)
    padding_mask = np.zeros((len(clips), longest), dtype=np.int64)
    for row, clip in enumerate(clips):
        input_values[row, 0, : len(clip)] = clip
        padding_mask[row, : len(clip)] = 1
    return torch.from_numpy(input_values).to(device), torch.from_numpy(padding_mask).to(device)


@torch.inference_mode()
def encode_clips(
    model: XYTokenizerModel, clips: Sequence[np.ndarray], settings: EncodeSettings, rows: Sequence[int]
) -> list[np.ndarray]:
    """Codes of each clip, in input order, computed in length-sorted sub-batches.

    Args:
        clips: mono float32 `(samples_i,)` at `model.config.sampling_rate`.
        rows: each clip's dataset row, for error messages.

    Returns:
        `(num_quantizers, floor(samples_i / samples_per_code))` integer arrays; `(num_quantizers, 0)`
        for clips under one code frame when `settings.short_clips == "empty"`. Identical to
        encoding each clip alone (the model is batch-invariant).
    """
    samples_per_code = model.config.samples_per_code
    dtype = np.dtype(codes_value_type(model.config.codebook_size))
    short = [index for index, clip in enumerate(clips) if len(clip) < samples_per_code]
    if short and settings.short_clips == "error":
        raise ValueError(
            f"Rows {[rows[index] for index in short]} are shorter than one code frame ({samples_per_code} samples "
            f"at {model.config.sampling_rate} Hz); filter them out, or pass short_clips='empty' to give them 0 codes."
        )
    codes: list[np.ndarray | None] = [None] * len(clips)
    for index in short:
        codes[index] = np.zeros((settings.num_quantizers, 0), dtype=dtype)
    encodable = [index for index in range(len(clips)) if codes[index] is None]
    for group in length_buckets([len(clips[index]) for index in encodable], settings.max_batch_samples):
        members = [encodable[position] for position in group]
        input_values, padding_mask = pad_clips([clips[index] for index in members], model.device)
        output = model.encode(
            input_values, padding_mask, num_quantizers=settings.num_quantizers,
            window_batch_size=settings.window_batch_size,
        )  # fmt: skip
        frames = output.audio_codes_mask.sum(-1).tolist()
        for batch_row, index in enumerate(members):
            codes[index] = output.audio_codes[batch_row, :, : frames[batch_row]].cpu().numpy().astype(dtype)
    return codes


class EncodeBatch(ModelMapFunction):
    """The `.map(batched=True, with_indices=True[, with_rank=True])` function: audio cells → codes.

    Picklable, so that `num_proc` workers get their own copy; each copy puts its model on its
    process's device and sets its torch threads on the first batch."""

    def __init__(self, model: XYTokenizerModel, settings: EncodeSettings):
        super().__init__(model, settings.device, settings.threads)
        self.settings = settings

    def __call__(
        self, cells: Sequence[Any], indices: Sequence[int], rank: int | None = None, row_offset: int = 0
    ) -> dict[str, list]:
        model = self.ready_model(rank)
        rows = [row_offset + int(index) for index in indices]
        rate = model.config.sampling_rate
        clips = [
            load_clip(cell, row, rate, self.settings.sampling_rate, self.settings.integer_type)
            for cell, row in zip(cells, rows)
        ]
        codes = encode_clips(model, clips, self.settings, rows) if clips else []
        return {
            self.settings.codes_column: codes,
            length_column_name(self.settings.codes_column): [item.shape[1] for item in codes],
        }


def _output_features(
    features: datasets.Features | None, model: XYTokenizerModel, codes_column: str, removed: list[str]
) -> datasets.Features | None:
    """The mapped dataset's features: the kept input columns, the codes and their lengths (None if unknown)."""
    if features is None:
        return None
    output = datasets.Features({name: feature for name, feature in features.items() if name not in removed})
    value_type = datasets.Value(codes_value_type(model.config.codebook_size))
    output[codes_column] = datasets.List(datasets.List(value_type))
    output[length_column_name(codes_column)] = datasets.Value("int32")
    return output


def _check_tokenize_arguments(model: Any, num_quantizers: int | None, short_clips: str, num_proc: int | None) -> int:
    """Validate what the dataset cannot; return the number of quantizers to keep."""
    if not isinstance(model, XYTokenizerModel):
        raise TypeError(
            f"model must be an XYTokenizerModel, got {type(model).__name__}; "
            "load one with XYTokenizerModel.from_pretrained."
        )
    available = model.config.num_quantizers
    num_quantizers = available if num_quantizers is None else num_quantizers
    if not isinstance(num_quantizers, int) or not 1 <= num_quantizers <= available:
        raise ValueError(f"num_quantizers must be in 1…{available}, got {num_quantizers!r}.")
    if short_clips not in SHORT_CLIP_POLICIES:
        raise ValueError(f"short_clips must be one of {SHORT_CLIP_POLICIES}, got {short_clips!r}.")
    if num_proc is not None and num_proc > 1 and model.device.type != "cpu":
        raise ValueError(
            f"With num_proc={num_proc} keep the model on the CPU (it is on {model.device}): each worker process "
            "moves its own copy to its device (cuda:{rank % device_count} by default); forked workers cannot use "
            "CUDA once this process has initialised it."
        )
    return num_quantizers


def tokenize_dataset(
    dataset: datasets.Dataset | datasets.IterableDataset,
    model: XYTokenizerModel,
    audio_column: str = "audio",
    *,
    codes_column: str = "audio_codes",
    sampling_rate: int | None = None,
    num_quantizers: int | None = None,
    short_clips: str = "empty",
    remove_audio_column: bool = False,
    map_batch_size: int = DEFAULT_MAP_BATCH_SIZE,
    max_batch_samples: int = DEFAULT_MAX_BATCH_SAMPLES,
    window_batch_size: int | None = None,
    num_proc: int | None = None,
    device: str | None = None,
    cache_dir: str | Path | None = None,
    shard_size: int = DEFAULT_SHARD_SIZE,
    load_from_cache_file: bool = True,
) -> datasets.Dataset | datasets.IterableDataset:
    """Add XY-Tokenizer codes of `audio_column` to every row, with `.map(batched=True)`.

    Adds `codes_column` (`num_quantizers` lists of `frames` ints, int16 for 1024-entry codebooks) and
    `f"{codes_column}_length"` (frames = floor(samples at 16 kHz / 1280), 12.5 per second). Cells may
    be an `Audio` column (read with soundfile, never torchcodec/ffmpeg), `{"bytes", "path"}`,
    `{"array", "sampling_rate"}`, paths, or raw arrays with `sampling_rate=` (see `audio_cells`): any
    rate (soxr), stereo averaged to mono, empty clips refused. Clips are sorted by length inside each
    `.map` batch and encoded in bounded sub-batches; the output equals encoding each clip alone.
    Map-style datasets run in resumable shards (see `sharded_map`); an `IterableDataset` is mapped lazily.

    Args:
        dataset: the dataset; its other columns are kept.
        model: the codec, in eval mode. With `num_proc > 1` it must be on the CPU (each worker moves its copy).
        audio_column: column to tokenize.
        codes_column: name of the codes column (the length column is `f"{codes_column}_length"`).
        sampling_rate: rate of raw-array cells (required for them).
        num_quantizers: codebooks to keep (all by default).
        short_clips: clips shorter than one code frame (80 ms): `"empty"` gives 0 codes (length 0,
            easy to `filter`), `"error"` raises a ValueError naming the rows.
        remove_audio_column: drop `audio_column` from the result.
        map_batch_size: rows per `.map` batch (the sorting window).
        max_batch_samples: padded samples per forward pass (memory bound).
        window_batch_size: windows per forward inside `model.encode` for long audio (all by default).
        num_proc: worker processes (map-style only); each uses `cpu_count // num_proc` torch threads.
        device: device of the model in every process; None: this process keeps the model's device
            and workers take `cuda:{rank % device_count}` (one process per GPU), else the CPU.
        cache_dir: folder of the resumable shard cache (default: next to the dataset's cache files; none for
            an in-memory dataset, whose results then stay in memory).
        shard_size: rows per resumable shard.
        load_from_cache_file: reuse finished shards.

    Returns:
        The dataset with the two new columns, in the original row order (and `Audio` feature kept).
    """
    num_quantizers = _check_tokenize_arguments(model, num_quantizers, short_clips, num_proc)
    prepared, audio_feature = undecoded_audio_column(dataset, audio_column)
    settings = EncodeSettings(
        codes_column=codes_column,
        sampling_rate=sampling_rate,
        integer_type=None if prepared.features is None else stored_integer_type(prepared.features[audio_column]),
        num_quantizers=num_quantizers,
        short_clips=short_clips,
        max_batch_samples=max_batch_samples,
        window_batch_size=window_batch_size,
        device=device,
        threads=threads_per_process(num_proc, os.cpu_count()),
    )
    remove_columns = [audio_column] if remove_audio_column else []
    plan = MapPlan(map_batch_size, num_proc, cache_dir, shard_size, load_from_cache_file, desc="Tokenizing audio")
    result = run_model_map(
        prepared,
        EncodeBatch(model, settings),
        input_column=audio_column,
        features=_output_features(prepared.features, model, settings.codes_column, remove_columns),
        remove_columns=remove_columns,
        fingerprint=lambda: transform_fingerprint(
            prepared._fingerprint, model_fingerprint(model), {"task": "tokenize", **settings.output_options()}
        ),
        plan=plan,
    )
    if audio_feature is not None and not remove_audio_column:
        result = result.cast_column(audio_column, audio_feature)  # decode=True again: metadata only
    return result
