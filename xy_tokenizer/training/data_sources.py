"""Open the training / evaluation splits named by :class:`~xy_tokenizer.training.arguments.DataArguments`."""

from __future__ import annotations

from pathlib import Path

import datasets

from .arguments import BUILD_PREFIX, DataArguments

MANIFEST_BUILDERS = {".csv": "csv", ".tsv": "csv", ".json": "json", ".jsonl": "json", ".parquet": "parquet"}


def builder_for_files(files: list[str]) -> str:
    """``load_dataset`` builder of manifest files, from their extension."""
    suffixes = {Path(name).suffix.lower() for name in files}
    builders = {MANIFEST_BUILDERS.get(suffix) for suffix in suffixes}
    if len(builders) != 1 or None in builders:
        raise ValueError(
            f"Cannot infer one dataset builder for {files}: use extensions {sorted(MANIFEST_BUILDERS)} "
            "or set dataset_name (e.g. 'csv', 'json', or a Hub dataset)"
        )
    return builders.pop()


def undecoded(dataset: datasets.Dataset) -> datasets.Dataset:
    """Cast every ``Audio`` column to ``decode=False``: cells become ``{'bytes', 'path'}`` that the training
    data pipeline decodes with soundfile (no ffmpeg / torchcodec needed)."""
    for name, feature in dataset.features.items():
        if isinstance(feature, datasets.Audio) and feature.decode:
            dataset = dataset.cast_column(name, datasets.Audio(sampling_rate=feature.sampling_rate, decode=False))
    return dataset


def _select(dataset: datasets.Dataset, limit: int | None) -> datasets.Dataset:
    return dataset.select(range(min(limit, len(dataset)))) if limit is not None else dataset


def _load(data: DataArguments, split: str | None, files: list[str] | None) -> datasets.Dataset | None:
    if data.dataset_from_disk is not None:
        loaded = datasets.load_from_disk(data.dataset_from_disk)
        if isinstance(loaded, datasets.DatasetDict):
            if split is None:
                return None
            if split not in loaded:
                raise ValueError(f"Split {split!r} not in {data.dataset_from_disk}; it has {sorted(loaded)}")
            return loaded[split]
        return loaded if split == data.train_split else None
    if files is None and split is None:
        return None
    name = data.dataset_name if data.dataset_name is not None else builder_for_files(files)
    if files is not None:
        return datasets.load_dataset(name, data.dataset_config_name, data_files={"split": files}, split="split")
    return datasets.load_dataset(name, data.dataset_config_name, split=split)


def default_audio_root(data: DataArguments) -> str | None:
    """Relative audio paths in manifests are resolved against the first manifest's folder by default."""
    if data.audio_root is not None:
        return data.audio_root
    if data.train_files:
        return str(Path(data.train_files[0]).resolve().parent)
    return None


def load_splits(data: DataArguments) -> tuple[datasets.Dataset, datasets.Dataset | None]:
    """``(train, eval or None)`` with undecoded Audio columns, truncated to ``max_*_samples``."""
    if data.dataset_name is not None and data.dataset_name.startswith(BUILD_PREFIX):
        raise ValueError(
            f"{data.dataset_name!r} must be resolved to manifest files first (see build_assets.resolve_tiny_data)"
        )
    train = _load(data, data.train_split, data.train_files)
    if train is None or len(train) == 0:
        raise ValueError("The training split is empty or missing")
    evaluation = _load(data, data.eval_split, data.eval_files)
    for split, dataset in (("train", train), ("eval", evaluation)):
        if dataset is not None and data.audio_column not in dataset.column_names:
            raise ValueError(
                f"The {split} split has no audio column {data.audio_column!r}; its columns are {dataset.column_names}"
            )
    train = _select(undecoded(train), data.max_train_samples)
    evaluation = _select(undecoded(evaluation), data.max_eval_samples) if evaluation is not None else None
    return train, evaluation
