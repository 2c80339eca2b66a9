"""Encode/decode speed and memory of XYTokenizerModel against the original's strategies.

Every ratio compares two paths of the SAME model in the SAME process on the same inputs:
- encode "padded": every window padded to 30 s before the log-mel, as the original does
  (`pad_to_window=True`); must give identical codes;
- encode/decode "one window at a time": windows run sequentially (`window_batch_size=1`);
  identical codes / audio, the original's loop structure;
- for long audio, also the original's own scheme (`windowing="original"`, padded, one window
  at a time) for reference.
Reported: real-time factor (compute seconds per second of audio, lower is faster), speed-up
ratios, and peak resident memory above the starting point.

Usage (full-size 16 kHz model with random weights; CPU, fp32, 2 threads by default):
    python benchmarks/inference_speed.py [--durations 5 30 60] [--batch-sizes 1 4] [--tiny]
"""

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np
import soundfile
import torch

from memory import PeakMemory

from xy_tokenizer.configuration_xy_tokenizer import XYTokenizerConfig
from xy_tokenizer.modeling_xy_tokenizer import XYTokenizerModel

ROOT = Path(__file__).resolve().parents[1]
SPEECH = ROOT / "tests" / "data" / "speech" / "xy_2.flac"
TINY = dict(hidden_size=64, num_attention_heads=4, intermediate_size=128, semantic_encoder_layers=2,
            semantic_adapter_layers=1, acoustic_encoder_layers=2, pre_rvq_adapter_layers=1, post_rvq_adapter_layers=1,
            acoustic_decoder_layers=2, codebook_size=64, codebook_dim=32, vocos_hidden_size=64,
            vocos_intermediate_size=128, vocos_num_layers=2)  # fmt: skip


def speech_batch(seconds: float, batch: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Real speech tiled to length; item i has (1 − 0.1·i) of the duration (a realistic ragged batch)."""
    speech, rate = soundfile.read(SPEECH, dtype="float32")
    lengths = [int(seconds * rate * (1 - 0.1 * i)) for i in range(batch)]
    values = torch.zeros(batch, 1, lengths[0])
    mask = torch.zeros(batch, lengths[0], dtype=torch.long)
    for row, length in enumerate(lengths):
        values[row, 0, :length] = torch.from_numpy(np.resize(speech, length))
        mask[row, :length] = 1
    return values, mask


def measure_paths(paths: dict, repeats: int) -> dict:
    """Run every path `repeats` times, interleaved (A, B, A, B…) so that a slow phase of the
    machine hits all paths alike. Returns per path: best wall time, peak memory of its first run,
    and its result."""
    measured = {name: {"times": [], "peak_mb": None, "result": None} for name in paths}
    for attempt in range(repeats):
        for name, function in paths.items():
            with PeakMemory() as memory:
                start = time.perf_counter()
                result = function()
                measured[name]["times"].append(time.perf_counter() - start)
            if attempt == 0:
                measured[name]["peak_mb"], measured[name]["result"] = memory.megabytes, result
    return {name: (min(m["times"]), m["peak_mb"], m["result"]) for name, m in measured.items()}


def run_case(model, seconds: float, batch: int, repeats: int) -> dict:
    values, mask = speech_batch(seconds, batch)
    audio_seconds = float(mask.sum()) / model.config.sampling_rate
    long_audio = seconds > model.config.max_audio_seconds
    baseline = "one_window_at_a_time" if long_audio else "padded_to_window"
    encode_paths = {"ours": lambda: model.encode(values, mask)}
    if long_audio:
        encode_paths[baseline] = lambda: model.encode(values, mask, window_batch_size=1)
        encode_paths["original_scheme_padded"] = lambda: model.encode(
            values, mask, windowing="original", pad_to_window=True, window_batch_size=1
        )
    else:
        encode_paths[baseline] = lambda: model.encode(values, mask, pad_to_window=True)
    encoded = measure_paths(encode_paths, repeats)
    ours = encoded["ours"][2]
    codes, codes_mask = ours.audio_codes, ours.audio_codes_mask
    decoded = measure_paths(
        {
            "ours": lambda: model.decode(codes, codes_mask),
            "one_window_at_a_time": lambda: model.decode(codes, codes_mask, window_batch_size=1),
        },
        repeats,
    )
    difference = decoded["ours"][2].audio_values - decoded["one_window_at_a_time"][2].audio_values
    row = {
        "seconds": seconds, "batch": batch, "audio_seconds": audio_seconds,
        "encode_rtf": encoded["ours"][0] / audio_seconds,
        "decode_rtf": decoded["ours"][0] / audio_seconds,
        "encode_baseline": baseline,
        "encode_speedup": encoded[baseline][0] / encoded["ours"][0],
        "decode_speedup_vs_one_window_at_a_time": decoded["one_window_at_a_time"][0] / decoded["ours"][0],
        "encode_peak_mb": encoded["ours"][1], "decode_peak_mb": decoded["ours"][1],
        "baseline_encode_peak_mb": encoded[baseline][1],
        "identical_codes": bool(torch.equal(ours.audio_codes, encoded[baseline][2].audio_codes)),
        "decode_max_abs_difference": float(difference.abs().max()),
        "paths_seconds": {"encode": {k: v[0] for k, v in encoded.items()}, "decode": {k: v[0] for k, v in decoded.items()}},
    }  # fmt: skip
    if long_audio:
        row["encode_speedup_vs_original_scheme"] = encoded["original_scheme_padded"][0] / encoded["ours"][0]
    return row


def markdown(rows: list[dict], header: str) -> str:
    lines = [header, "",
             "| audio | batch | encode RTF | encode speed-up (baseline) | identical codes | decode RTF | decode speed-up vs 1 window at a time | peak MB enc / dec / baseline enc |",
             "|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for r in rows:
        extra = f", {r['encode_speedup_vs_original_scheme']:.2f}× vs original scheme" if "encode_speedup_vs_original_scheme" in r else ""
        lines.append(
            f"| {r['seconds']:g} s | {r['batch']} | {r['encode_rtf']:.3f} | {r['encode_speedup']:.2f}× ({r['encode_baseline']}{extra}) "
            f"| {r['identical_codes']} | {r['decode_rtf']:.3f} | {r['decode_speedup_vs_one_window_at_a_time']:.2f}× "
            f"| {r['encode_peak_mb']:.0f} / {r['decode_peak_mb']:.0f} / {r['baseline_encode_peak_mb']:.0f} |"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variant", default="16k", choices=["16k", "24k", "32k"])
    parser.add_argument("--durations", type=float, nargs="+", default=[5, 30, 60])
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2, help="interleaved calls per path; the best time is kept")
    parser.add_argument("--tiny", action="store_true", help="a small model (quick check of the script)")
    parser.add_argument("--output-dir", default=str(ROOT / "benchmarks" / "results"))
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    config = XYTokenizerConfig.from_variant(args.variant, **(TINY if args.tiny else {}))
    model = XYTokenizerModel(config).eval()
    rows = []
    with torch.inference_mode():
        model.encode(*speech_batch(2, 1))  # warm-up
        for seconds in args.durations:
            for batch in args.batch_sizes:
                rows.append(run_case(model, seconds, batch, args.repeats))
                print(json.dumps({k: v for k, v in rows[-1].items() if k != "paths_seconds"}), flush=True)
    header = (f"XY-Tokenizer {args.variant} ({'tiny' if args.tiny else 'full size'}, random weights), CPU fp32, "
              f"{args.threads} threads, torch {torch.__version__}, {platform.processor() or platform.machine()}")  # fmt: skip
    table = markdown(rows, header)
    print(table)
    output = Path(args.output_dir)
    output.mkdir(parents=True, exist_ok=True)
    name = f"inference_{args.variant}{'_tiny' if args.tiny else ''}"
    (output / f"{name}.json").write_text(json.dumps({"header": header, "rows": rows}, indent=2))
    (output / f"{name}.md").write_text(table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
