"""Tokenize `datasets` audio columns into XY-Tokenizer codes (and back), on one process, `num_proc`
workers, or every rank of an `accelerate launch` / `torchrun` job.

Library use::

    from xy_tokenizer.datasets_tokenization import tokenize_dataset, decode_dataset
    tokenized = tokenize_dataset(dataset, model, "audio", num_proc=2, cache_dir="cache/")
    decoded = decode_dataset(tokenized, model, "audio_codes")

Across processes / GPUs / nodes (each rank writes `OUTPUT_DIR/shards/rank-XXXXX`, rank 0 concatenates)::

    accelerate launch --multi_gpu --num_processes 2 -m xy_tokenizer.datasets_tokenization \
        DATASET MODEL_DIR --output-dir OUTPUT_DIR [--split train] [--audio-column audio]

On a machine without GPUs `--multi_gpu` still starts N CPU processes (gloo); `--cpu` alone would
start one. `torchrun --nproc_per_node N -m xy_tokenizer.datasets_tokenization ...` works too.
The implementation lives in `xy_tokenizer.data`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import datasets

from .data import decode_dataset, model_fingerprint, tokenize_dataset, tokenize_dataset_distributed
from .data.distributed import process_state
from .data.sharded_map import DEFAULT_SHARD_SIZE
from .data.tokenization import DEFAULT_MAP_BATCH_SIZE, DEFAULT_MAX_BATCH_SAMPLES, SHORT_CLIP_POLICIES

__all__ = ["decode_dataset", "main", "model_fingerprint", "tokenize_dataset", "tokenize_dataset_distributed"]


def load_input_dataset(source: str, split: str | None = None, name: str | None = None) -> datasets.Dataset:
    """A `save_to_disk` folder, or anything `datasets.load_dataset(source, name, split=split)` opens."""
    folder = Path(source)
    if folder.is_dir() and ((folder / "state.json").exists() or (folder / "dataset_dict.json").exists()):
        loaded = datasets.load_from_disk(source)
    else:
        loaded = datasets.load_dataset(source, name, split=split)
    if isinstance(loaded, datasets.DatasetDict):
        if split is None:
            raise ValueError(f"{source} holds splits {sorted(loaded)}; choose one with --split.")
        if split not in loaded:
            raise ValueError(f"Split {split!r} not in {source} (it has {sorted(loaded)}).")
        loaded = loaded[split]
    if not isinstance(loaded, datasets.Dataset):
        raise TypeError(f"Expected a map-style dataset from {source}, got {type(loaded).__name__}.")
    return loaded


PROG = "python -m xy_tokenizer.datasets_tokenization"


def build_parser(prog: str = PROG) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Tokenize a dataset's audio column into XY-Tokenizer codes; run it under accelerate launch or "
        "torchrun to split the work over processes, GPUs and nodes.",
    )
    parser.add_argument("dataset", help="a save_to_disk folder, or a load_dataset name/path")
    parser.add_argument("model", help="converted model folder")
    parser.add_argument("--output-dir", required=True, help="where the tokenized dataset is saved (save_to_disk)")
    parser.add_argument("--split", default=None, help="split to tokenize (needed for datasets with splits)")
    parser.add_argument("--name", default=None, help="load_dataset configuration name")
    parser.add_argument("--audio-column", default="audio", help="column to tokenize (default: audio)")
    parser.add_argument("--codes-column", default="audio_codes", help="output column (default: audio_codes)")
    parser.add_argument("--sampling-rate", type=int, default=None, help="rate of raw-array audio cells")
    parser.add_argument("--num-quantizers", type=int, default=None, help="codebooks to keep (default: all)")
    parser.add_argument("--short-clips", default="empty", choices=list(SHORT_CLIP_POLICIES),
                        help="clips under one code frame: 0 codes (empty) or an error")  # fmt: skip
    parser.add_argument("--remove-audio-column", action="store_true", help="drop the audio column from the output")
    parser.add_argument("--map-batch-size", type=int, default=DEFAULT_MAP_BATCH_SIZE, help="rows per .map batch")
    parser.add_argument("--max-batch-samples", type=int, default=DEFAULT_MAX_BATCH_SAMPLES,
                        help="padded 16 kHz samples per forward pass")  # fmt: skip
    parser.add_argument("--shard-size", type=int, default=DEFAULT_SHARD_SIZE, help="rows per resumable cache shard")
    parser.add_argument("--num-proc", type=int, default=None, help=".map worker processes per rank")
    parser.add_argument("--dtype", default="float32", choices=["float32", "bfloat16", "float16"], help="weights dtype")
    parser.add_argument("--keep-intermediate", action="store_true", help="keep OUTPUT_DIR/shards and OUTPUT_DIR/cache")
    return parser


def main(argv: list[str] | None = None, prog: str = PROG) -> int:
    """Entry point (also of `xy-tokenizer tokenize-dataset`): 0 on success, 2 on a usage or input error."""
    args = build_parser(prog).parse_args(argv)
    try:
        dataset = load_input_dataset(args.dataset, args.split, args.name)
        result = tokenize_dataset_distributed(
            dataset,
            args.model,
            args.output_dir,
            dtype=args.dtype,
            keep_intermediate=args.keep_intermediate,
            audio_column=args.audio_column,
            codes_column=args.codes_column,
            sampling_rate=args.sampling_rate,
            num_quantizers=args.num_quantizers,
            short_clips=args.short_clips,
            remove_audio_column=args.remove_audio_column,
            map_batch_size=args.map_batch_size,
            max_batch_samples=args.max_batch_samples,
            shard_size=args.shard_size,
            num_proc=args.num_proc,
        )
    except (ValueError, TypeError, FileNotFoundError) as error:
        print(f"xy_tokenizer.datasets_tokenization: error: {error}", file=sys.stderr)
        return 2
    if process_state().is_main_process:
        print(f"{len(result)} rows tokenized into {args.output_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
