"""Tokenization split across processes, GPUs or nodes with `accelerate launch` (or `torchrun`).

Each rank takes its contiguous part of the dataset (`datasets.distributed.split_dataset_by_node`),
tokenizes it with `tokenize_dataset` (resumable cache under `output_dir/cache`), and writes it with
`save_to_disk` to `output_dir/shards/rank-XXXXX`. After a barrier, rank 0 concatenates the parts in
rank order — which is the original row order — into `output_dir`, and every rank returns that dataset.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import datasets
import torch
from datasets.distributed import split_dataset_by_node

from ..modeling_xy_tokenizer import XYTokenizerModel
from .tokenization import tokenize_dataset

if TYPE_CHECKING:
    from accelerate import PartialState

DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}
SHARDS_SUBDIR = "shards"
CACHE_SUBDIR = "cache"


def rank_shard_dir(output_dir: str | Path, rank: int) -> Path:
    """Where rank `rank` saves its tokenized part."""
    return Path(output_dir) / SHARDS_SUBDIR / f"rank-{rank:05d}"


def process_state() -> PartialState:
    """accelerate's view of this process. Without GPUs, accelerate only sets up a multi-process (gloo)
    group when asked for the CPU explicitly; otherwise every launched process would think it is alone."""
    from accelerate import PartialState  # only the distributed path needs accelerate

    return PartialState(cpu=not torch.cuda.is_available())


def _model_on(model: XYTokenizerModel | str | Path, device: torch.device, dtype: str) -> XYTokenizerModel:
    if isinstance(model, XYTokenizerModel):
        return model.to(device).eval()
    if isinstance(model, (str, os.PathLike)):
        if dtype not in DTYPES:
            raise ValueError(f"dtype must be one of {sorted(DTYPES)}, got {dtype!r}.")
        return XYTokenizerModel.from_pretrained(model, dtype=DTYPES[dtype]).to(device).eval()
    raise TypeError(f"model must be an XYTokenizerModel or a model folder, got {type(model).__name__}.")


def _save_atomically(dataset: datasets.Dataset, target: Path) -> None:
    """save_to_disk into a sibling folder, then rename: a folder at `target` is always complete."""
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    dataset.save_to_disk(str(partial))
    shutil.rmtree(target, ignore_errors=True)
    os.replace(partial, target)


def concatenate_rank_shards(
    output_dir: str | Path, world_size: int, keep_intermediate: bool = False
) -> datasets.Dataset:
    """Rank 0's final step: the ranks' parts, in rank order, saved as one dataset in `output_dir`."""
    output_dir = Path(output_dir)
    missing = [rank for rank in range(world_size) if not rank_shard_dir(output_dir, rank).is_dir()]
    if missing:
        raise FileNotFoundError(f"Ranks {missing} wrote no shard under {output_dir / SHARDS_SUBDIR}.")
    parts = [datasets.load_from_disk(str(rank_shard_dir(output_dir, rank))) for rank in range(world_size)]
    combined = datasets.concatenate_datasets(parts)
    combined.save_to_disk(str(output_dir))
    if not keep_intermediate:
        shutil.rmtree(output_dir / SHARDS_SUBDIR, ignore_errors=True)
        shutil.rmtree(output_dir / CACHE_SUBDIR, ignore_errors=True)
    return combined


def tokenize_dataset_distributed(
    dataset: datasets.Dataset,
    model: XYTokenizerModel | str | Path,
    output_dir: str | Path,
    *,
    dtype: str = "float32",
    keep_intermediate: bool = False,
    **tokenize_kwargs: Any,
) -> datasets.Dataset:
    """Tokenize `dataset` with every process of an `accelerate launch` / `torchrun` job (or alone).

    Every rank must call this with the same dataset and arguments. A rerun after an interruption
    reuses each rank's finished `.map` shards from `output_dir/cache` (with the same number of processes).

    Args:
        dataset: a map-style dataset (its row order is kept: ranks take contiguous parts).
        model: a model folder, loaded by each rank on its device (`cuda:{local rank}` or the CPU),
            or a model object, moved there.
        output_dir: where the result is saved (`datasets.load_from_disk(output_dir)`).
        dtype: weights dtype when loading from a folder ("float32", "bfloat16", "float16").
        keep_intermediate: keep `output_dir/shards` and `output_dir/cache` after the final save.
        tokenize_kwargs: passed to `tokenize_dataset` (audio_column, num_quantizers, shard_size, ...).

    Returns:
        The tokenized dataset as saved in `output_dir`, on every rank.
    """
    if not isinstance(dataset, datasets.Dataset):
        raise TypeError(
            f"tokenize_dataset_distributed needs a map-style datasets.Dataset, got {type(dataset).__name__}: the parts "
            "are concatenated back in row order, which an IterableDataset split does not preserve."
        )
    if "cache_dir" in tokenize_kwargs:
        raise ValueError("cache_dir is set by tokenize_dataset_distributed (output_dir/cache); do not pass it.")
    state = process_state()
    output_dir = Path(output_dir)
    part = split_dataset_by_node(dataset, rank=state.process_index, world_size=state.num_processes)
    tokenized = tokenize_dataset(
        part, _model_on(model, state.device, dtype), cache_dir=output_dir / CACHE_SUBDIR, **tokenize_kwargs
    )
    _save_atomically(tokenized, rank_shard_dir(output_dir, state.process_index))
    state.wait_for_everyone()
    if state.is_main_process:
        concatenate_rank_shards(output_dir, state.num_processes, keep_intermediate)
    state.wait_for_everyone()
    return datasets.load_from_disk(str(output_dir))
