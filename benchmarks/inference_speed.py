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


def measure(function, repeats: int):
    """Best wall time over `repeats` calls, the peak memory of the first, and the last result."""
    times, peak = [], None
    for attempt in range(repeats):
        with PeakMemory() as memory:
            start = time.perf_counter()
            result = function()
            times.append(time.perf_counter() - start)
        peak = memory.megabytes if attempt == 0 else peak
    return min(times), peak, result


def run_case(model, seconds: float, batch: int, repeats: int) -> dict:
    values, mask = speech_batch(seconds, batch)
    audio_seconds = float(mask.sum()) / model.config.sampling_rate
    long_audio = seconds > model.config.max_audio_seconds
    paths = {"ours": {}}
    t, m, ours = measure(lambda: model.encode(values, mask), repeats)
    paths["ours"]["encode"] = (t, m)
    if long_audio:
        t, m, other = measure(lambda: model.encode(values, mask, window_batch_size=1), repeats)
        paths["one_window_at_a_time"] = {"encode": (t, m)}
        t, m, _ = measure(lambda: model.encode(values, mask, windowing="original", pad_to_window=True,
                                               window_batch_size=1), repeats)  # fmt: skip
        paths["original_scheme_padded"] = {"encode": (t, m)}
    else:
        t, m, other = measure(lambda: model.encode(values, mask, pad_to_window=True), repeats)
        paths["padded_to_window"] = {"encode": (t, m)}
    identical_codes = bool(torch.equal(ours.audio_codes, other.audio_codes))
    codes, codes_mask = ours.audio_codes, ours.audio_codes_mask
    t, m, decoded = measure(lambda: model.decode(codes, codes_mask), repeats)
    paths["ours"]["decode"] = (t, m)
    t, m, decoded_one = measure(lambda: model.decode(codes, codes_mask, window_batch_size=1), repeats)
    paths.setdefault("one_window_at_a_time", {})["decode"] = (t, m)
    max_audio_difference = float((decoded.audio_values - decoded_one.audio_values).abs().max())
    baseline = "one_window_at_a_time" if long_audio else "padded_to_window"
    row = {
        "seconds": seconds, "batch": batch, "audio_seconds": audio_seconds,
        "encode_rtf": paths["ours"]["encode"][0] / audio_seconds,
        "decode_rtf": paths["ours"]["decode"][0] / audio_seconds,
        "encode_baseline": baseline,
        "encode_speedup": paths[baseline]["encode"][0] / paths["ours"]["encode"][0],
        "decode_speedup_vs_one_window_at_a_time": paths["one_window_at_a_time"]["decode"][0] / paths["ours"]["decode"][0],
        "encode_peak_mb": paths["ours"]["encode"][1], "decode_peak_mb": paths["ours"]["decode"][1],
        "baseline_encode_peak_mb": paths[baseline]["encode"][1],
        "identical_codes": identical_codes, "decode_max_abs_difference": max_audio_difference,
        "paths_seconds": {name: {k: v[0] for k, v in d.items()} for name, d in paths.items()},
    }  # fmt: skip
    if long_audio:
        row["encode_speedup_vs_original_scheme"] = paths["original_scheme_padded"]["encode"][0] / paths["ours"]["encode"][0]
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
    parser.add_argument("--repeats", type=int, default=1, help="calls per path; the best time is kept")
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
