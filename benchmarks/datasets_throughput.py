"""Throughput of `tokenize_dataset` (datasets `.map`) with one process vs `num_proc` worker processes.

The dataset is an `Audio()` column of the real test clips (a 4.8 s 16 kHz FLAC and a 1.35 s 24 kHz
WAV, so half the rows are resampled), repeated to `--rows` rows. Each model (random weights, saved
and loaded back with `from_pretrained` as a user would) tokenizes it in these set-ups:
- 1 process with all torch threads (the default),
- 1 process with 1 thread,
- `num_proc` processes, each with `cpu_count // num_proc` threads (what `tokenize_dataset` sets).
Every run writes a fresh cache (no reuse). Reported: rows/s, audio seconds tokenized per wall
second (× real time) and the speed-up over the default. The codes of every set-up are checked
to be identical.

Usage:
    python benchmarks/datasets_throughput.py [--rows 48] [--configs tiny medium] [--num-proc 2]
"""

import argparse
import io
import os
import platform
import tempfile
import time
from pathlib import Path

import datasets
import soundfile
import torch

from xy_tokenizer.configuration_xy_tokenizer import XYTokenizerConfig
from xy_tokenizer.datasets_tokenization import tokenize_dataset
from xy_tokenizer.modeling_xy_tokenizer import XYTokenizerModel

ROOT = Path(__file__).resolve().parents[1]
CLIPS = [ROOT / "tests" / "data" / "speech" / "xy_2.flac", ROOT / "tests" / "data" / "speech" / "moss_m1.wav"]

# Model sizes: "tiny" as the benchmarks' other tiny model, "medium" about 1/8 of the full encoder
# (hidden 384, 4 + 4 encoder layers), "full" the released 16 kHz architecture.
CONFIGS = {
    "tiny": dict(hidden_size=64, num_attention_heads=4, intermediate_size=128, semantic_encoder_layers=2,
                 semantic_adapter_layers=1, acoustic_encoder_layers=2, pre_rvq_adapter_layers=1,
                 post_rvq_adapter_layers=1, acoustic_decoder_layers=2, codebook_size=64, codebook_dim=32,
                 vocos_hidden_size=64, vocos_intermediate_size=128, vocos_num_layers=2),
    "medium": dict(hidden_size=384, num_attention_heads=6, intermediate_size=1536, semantic_encoder_layers=4,
                   semantic_adapter_layers=2, acoustic_encoder_layers=4, pre_rvq_adapter_layers=2,
                   post_rvq_adapter_layers=2, acoustic_decoder_layers=4, vocos_num_layers=8),
    "full": {},
}  # fmt: skip


def clip_dataset(rows: int) -> tuple[datasets.Dataset, float]:
    """An Audio() column cycling through the real clips (as bytes), and its total duration in seconds."""
    cells, seconds = [], 0.0
    for row in range(rows):
        path = CLIPS[row % len(CLIPS)]
        cells.append({"bytes": path.read_bytes(), "path": None})
        seconds += soundfile.info(io.BytesIO(cells[-1]["bytes"])).duration
    dataset = datasets.Dataset.from_dict({"audio": cells}).cast_column("audio", datasets.Audio())
    return dataset, seconds


def saved_and_loaded(name: str, folder: Path) -> XYTokenizerModel:
    torch.manual_seed(0)
    XYTokenizerModel(XYTokenizerConfig.from_variant("16k", **CONFIGS[name])).save_pretrained(folder)
    return XYTokenizerModel.from_pretrained(folder).eval()


def timed_run(dataset, model, num_proc: int | None, threads: int) -> tuple[float, list]:
    """Wall seconds of one tokenization with a fresh cache, and its codes column."""
    torch.set_num_threads(threads)
    with tempfile.TemporaryDirectory() as cache:
        start = time.perf_counter()
        result = tokenize_dataset(dataset, model, num_proc=num_proc, cache_dir=cache, load_from_cache_file=False)
        codes = result["audio_codes"]  # read inside the with: the cache files go away after it
        return time.perf_counter() - start, codes


def bench_config(name: str, dataset, audio_seconds: float, num_proc: int) -> list[dict]:
    cores = os.cpu_count() or 1
    setups = [("1 process", None, cores), ("1 process", None, 1), (f"{num_proc} processes", num_proc, 1)]
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        model = saved_and_loaded(name, Path(folder))
        timed_run(dataset.select(range(2)), model, None, cores)  # warm-up: allocator, first-call costs
        reference = None
        for label, processes, threads in setups:
            # Workers get cores // num_proc threads from tokenize_dataset itself.
            seconds, codes = timed_run(dataset, model, processes, threads)
            reference = codes if reference is None else reference
            per_process = threads if processes is None else max(1, cores // processes)
            rows.append(dict(model=name, setup=f"{label} × {per_process} thread(s)", seconds=seconds,
                             rows_per_s=len(dataset) / seconds, realtime=audio_seconds / seconds,
                             identical=codes == reference))  # fmt: skip
    torch.set_num_threads(cores)
    baseline = rows[0]["seconds"]
    for row in rows:
        row["speedup"] = baseline / row["seconds"]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=48, help="dataset rows (the two clips alternate)")
    parser.add_argument("--configs", nargs="+", default=["tiny", "medium"], choices=list(CONFIGS))
    parser.add_argument("--num-proc", type=int, default=2, help="worker processes of the parallel set-up")
    args = parser.parse_args()
    datasets.disable_progress_bars()
    dataset, audio_seconds = clip_dataset(args.rows)
    load_before = os.getloadavg()[0]
    results = [row for name in args.configs for row in bench_config(name, dataset, audio_seconds, args.num_proc)]
    print(
        f"tokenize_dataset throughput: {args.rows} rows, {audio_seconds:.1f} s of audio; {os.cpu_count()} CPU cores, "
        f"torch {torch.__version__}, datasets {datasets.__version__}, {platform.machine()}; "
        f"load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after\n"
    )
    print("| model | set-up | wall s | rows/s | × real time | speed-up | identical codes |")
    print("|---|---|---|---|---|---|---|")
    for row in results:
        print(f"| {row['model']} | {row['setup']} | {row['seconds']:.2f} | {row['rows_per_s']:.1f} | "
              f"{row['realtime']:.1f} | {row['speedup']:.2f}× | {row['identical']} |")  # fmt: skip


if __name__ == "__main__":
    main()
