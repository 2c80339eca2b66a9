"""Running a model over a dataset with `.map(batched=True)`: resumable on map-style datasets, lazy on
iterable ones.

A map-style dataset is cut into contiguous shards of `shard_size` rows; each shard is one `.map` call
with its own `cache_file_name` under `cache_dir/<fingerprint>/` and its own `new_fingerprint`, and the
shards are concatenated in order. datasets writes a cache file to a temporary name and renames it
when the shard is complete, so after an interruption a rerun loads every finished shard from disk
(no model call) and recomputes only the rest. With `num_proc`, each shard is split again over the
worker processes by datasets itself.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import datasets

logger = logging.getLogger(__name__)

# Rows per resumable shard: small enough that an interruption loses little work, large enough
# that the per-shard overhead (a cache file, a worker pool with num_proc) stays negligible.
DEFAULT_SHARD_SIZE = 1000

# Sub-folder of a dataset's own cache folder that holds our shards when no cache_dir is given.
CACHE_SUBDIR = "xy_tokenizer"


@dataclass(frozen=True)
class MapPlan:
    """How the model `.map` runs.

    Args:
        batch_size: rows per `.map` batch (the model sub-batches inside it by length).
        num_proc: worker processes per shard (None or 1: the calling process). Map-style datasets only.
        cache_dir: folder of the shard cache files; None: `<dataset cache folder>/xy_tokenizer`, or, for
            an in-memory dataset, no cache (results stay in memory and an interrupted run starts over).
        shard_size: rows per resumable shard.
        load_from_cache_file: reuse finished shards (False recomputes and overwrites them).
        desc: progress-bar label.
    """

    batch_size: int
    num_proc: int | None = None
    cache_dir: str | Path | None = None
    shard_size: int = DEFAULT_SHARD_SIZE
    load_from_cache_file: bool = True
    desc: str = "Map"

    def __post_init__(self):
        for name in ("batch_size", "shard_size"):
            if not isinstance(getattr(self, name), int) or getattr(self, name) < 1:
                raise ValueError(f"{name} must be a positive int, got {getattr(self, name)!r}.")
        if self.num_proc is not None and (not isinstance(self.num_proc, int) or self.num_proc < 1):
            raise ValueError(f"num_proc must be None or a positive int, got {self.num_proc!r}.")

    @property
    def worker_processes(self) -> int | None:
        """`num_proc` as datasets should get it: None runs in this process (1 would start one worker)."""
        return self.num_proc if self.num_proc and self.num_proc > 1 else None


def shard_cache_folder(dataset: datasets.Dataset, cache_dir: str | Path | None, fingerprint: str) -> Path | None:
    """Where the shard files of one transform go, or None when the dataset lives in memory only."""
    if cache_dir is None:
        if not dataset.cache_files:
            logger.warning(
                "The dataset is in memory and no cache_dir was given: results are not cached, so an "
                "interrupted run starts over. Pass cache_dir= to make it resumable."
            )
            return None
        cache_dir = Path(dataset.cache_files[0]["filename"]).parent / CACHE_SUBDIR
    return Path(cache_dir) / fingerprint


def map_resumable(
    dataset: datasets.Dataset,
    function: Callable,
    *,
    input_column: str,
    features: datasets.Features,
    remove_columns: list[str],
    fingerprint: str,
    plan: MapPlan,
) -> datasets.Dataset:
    """`dataset.map(function, batched=True, with_indices=True, with_rank=True)` shard by shard (see the
    module docstring). `function(cells, indices, rank, row_offset=...)` receives the `input_column`
    cells, shard-relative indices and the row offset of the shard, so that errors name global rows."""
    if len(dataset) == 0:  # datasets' map returns an empty dataset unchanged, without the new columns
        return datasets.Dataset.from_dict({name: [] for name in features}, features=features)
    num_shards = math.ceil(len(dataset) / plan.shard_size)
    folder = shard_cache_folder(dataset, plan.cache_dir, fingerprint)
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    parts, offset = [], 0
    for index in range(num_shards):
        shard = dataset.shard(num_shards=num_shards, index=index, contiguous=True)
        name = f"shard-{index:05d}-of-{num_shards:05d}"
        parts.append(
            shard.map(
                function,
                with_indices=True,
                with_rank=True,
                input_columns=[input_column],
                batched=True,
                batch_size=plan.batch_size,
                remove_columns=remove_columns,
                features=features,
                fn_kwargs={"row_offset": offset},
                num_proc=min(plan.worker_processes, len(shard)) if plan.worker_processes and len(shard) > 1 else None,
                cache_file_name=None if folder is None else str(folder / f"{name}.arrow"),
                load_from_cache_file=plan.load_from_cache_file,
                new_fingerprint=f"{fingerprint}-{index:05d}-{num_shards:05d}",
                desc=f"{plan.desc} [{index + 1}/{num_shards}]" if num_shards > 1 else plan.desc,
            )
        )
        offset += len(shard)
    return parts[0] if num_shards == 1 else datasets.concatenate_datasets(parts)


def map_lazily(
    dataset: datasets.IterableDataset,
    function: Callable,
    *,
    input_column: str,
    features: datasets.Features | None,
    remove_columns: list[str],
    plan: MapPlan,
) -> datasets.IterableDataset:
    """The same `.map` on an `IterableDataset`: applied while iterating, so nothing is cached and
    there are no worker processes here (use `split_dataset_by_node` or DataLoader workers to parallelise)."""
    if plan.worker_processes:
        raise ValueError(
            f"num_proc={plan.num_proc} needs a map-style datasets.Dataset; an IterableDataset is mapped lazily "
            "while iterating. Parallelise it with datasets.distributed.split_dataset_by_node (one process per "
            "rank) or torch DataLoader workers."
        )
    return dataset.map(
        function,
        with_indices=True,
        input_columns=[input_column],
        batched=True,
        batch_size=plan.batch_size,
        remove_columns=remove_columns or None,
        features=features,
        fn_kwargs={"row_offset": 0},
    )


def run_model_map(
    dataset: datasets.Dataset | datasets.IterableDataset,
    function: Callable,
    *,
    input_column: str,
    features: datasets.Features | None,
    remove_columns: list[str],
    fingerprint: Callable[[], str],
    plan: MapPlan,
) -> datasets.Dataset | datasets.IterableDataset:
    """Map `function` over `dataset` with numpy-formatted inputs (arrays, not lists of Python floats),
    then give the result the dataset's original format back. `fingerprint` is only called for
    map-style datasets (it hashes the model's weights)."""
    original_format = _format_type(dataset)
    formatted = dataset.with_format("numpy")
    if isinstance(dataset, datasets.IterableDataset):
        result = map_lazily(
            formatted, function, input_column=input_column, features=features, remove_columns=remove_columns, plan=plan
        )
    elif isinstance(dataset, datasets.Dataset):
        result = map_resumable(
            formatted, function, input_column=input_column, features=features, remove_columns=remove_columns,
            fingerprint=fingerprint(), plan=plan,
        )  # fmt: skip
    else:
        raise TypeError(f"Expected a datasets.Dataset or IterableDataset, got {type(dataset).__name__}.")
    return result.with_format(original_format)


def _format_type(dataset: datasets.Dataset | datasets.IterableDataset) -> str | None:
    if isinstance(dataset, datasets.Dataset):
        return dataset.format["type"]
    formatting = getattr(dataset, "_formatting", None)  # IterableDataset has no public accessor
    return getattr(formatting, "format_type", None)
