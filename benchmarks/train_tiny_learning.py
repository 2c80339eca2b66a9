"""Show that both training stages learn: tiny stage 1, then tiny stage 2, then held-out metrics and plots.

    python benchmarks/train_tiny_learning.py --output-dir outputs/tiny_learning

Runs (each exactly as a user would, through Accelerate on one process):

    accelerate launch --num_processes 1 -m xy_tokenizer.train configs/stage1_tiny.yaml \
        --output_dir OUT/stage1 --eval_on_start true
    accelerate launch --num_processes 1 -m xy_tokenizer.train configs/stage2_tiny.yaml \
        --model_name_or_path OUT/stage1 --output_dir OUT/stage2 --eval_on_start true

then reconstructs the held-out clips of the tiny corpus (never trained on) with the stage-1 and the
stage-2 generator (and every intermediate stage-2 checkpoint) and reports the multi-scale mel loss and
STOI (``pystoi``) of each, plus training curves. Writes ``summary.json``, ``stage1_curves.png``,
``stage2_curves.png`` and ``heldout.png`` into the output folder. Needs ``pystoi`` and ``matplotlib``;
espeak-ng is used for the corpus when installed (else a synthetic tone language).
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import torch

from xy_tokenizer.audio_io import load_audio
from xy_tokenizer.modeling_xy_tokenizer import XYTokenizerModel
from xy_tokenizer.training.assets import resolve_tiny_data
from xy_tokenizer.training.losses import MultiScaleMelLoss
from xy_tokenizer.training.recipe import parse_recipe

REPO = Path(__file__).resolve().parents[1]


def launch(recipe: str, overrides: list[str]) -> float:
    """Run one training through ``accelerate launch`` (one process); returns wall seconds."""
    command = [
        sys.executable,
        "-m",
        "accelerate.commands.launch",
        "--num_processes",
        "1",
        "--num_machines",
        "1",
        "--mixed_precision",
        "no",
        "--dynamo_backend",
        "no",
        "-m",
        "xy_tokenizer.train",
        recipe,
        *overrides,
    ]
    print("$", " ".join(command[2:]), flush=True)
    start = time.time()
    subprocess.run(command, check=True, cwd=REPO)
    return time.time() - start


def heldout_clips(recipe_path: str) -> list[np.ndarray]:
    """The evaluation split of the tiny corpus at 16 kHz, cut to whole code frames."""
    recipe = parse_recipe([recipe_path])
    resolve_tiny_data(recipe.data, recipe.model, recipe.training.seed)
    manifest = Path(recipe.data.eval_files[0])
    with manifest.open(encoding="utf-8") as handle:
        paths = [manifest.parent / row["audio"] for row in csv.DictReader(handle)]
    clips = [load_audio(path, 16000) for path in paths]
    return [clip[: clip.shape[0] // 1280 * 1280] for clip in clips if clip.shape[0] >= 1280]


@torch.no_grad()
def evaluate(model_dir: Path, clips: list[np.ndarray]) -> dict[str, float]:
    """Mean multi-scale mel loss and STOI of the reconstructions of ``clips``."""
    from pystoi import stoi

    codec = XYTokenizerModel.from_pretrained(model_dir).eval()
    mel_loss = MultiScaleMelLoss(codec.config.output_sampling_rate)
    mels, stois = [], []
    for clip in clips:
        audio = torch.from_numpy(clip)[None, None]
        reconstruction = codec(input_values=audio).audio_values
        mels.append(float(mel_loss(reconstruction, audio[..., : reconstruction.shape[-1]])))
        stois.append(float(stoi(clip[: reconstruction.shape[-1]], reconstruction[0, 0].numpy(), 16000)))
    return {"mel_loss": float(np.mean(mels)), "stoi": float(np.mean(stois)), "clips": len(clips)}


def checkpoint_folders(run_dir: Path) -> dict[int, Path]:
    """``{step: folder}`` of a run's ``checkpoint-N`` folders."""
    return {int(path.name.split("-")[1]): path for path in run_dir.glob("checkpoint-*")}


def history(run_dir: Path) -> list[dict]:
    checkpoints = checkpoint_folders(run_dir)
    return json.loads((checkpoints[max(checkpoints)] / "trainer_state.json").read_text())["log_history"]


def series(entries: list[dict], key: str) -> tuple[list[int], list[float]]:
    points = [(entry["step"], entry[key]) for entry in entries if key in entry]
    return [step for step, _ in points], [value for _, value in points]


def plot_curves(entries: list[dict], names: list[str], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, len(names), figsize=(4 * len(names), 3.2))
    for axis, name in zip(np.atleast_1d(axes), names):
        axis.plot(*series(entries, name), label="train")
        steps, values = series(entries, f"eval_{name}")
        if steps:
            axis.plot(steps, values, "o--", label="held-out")
        axis.set_title(name)
        axis.set_xlabel("step")
        axis.legend()
    figure.suptitle(title)
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)


def plot_heldout(results: dict, path: Path) -> None:
    """Held-out mel loss and STOI along stage 2 (step 0 = the stage-1 checkpoint)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    points = {0: results["stage1"], **{int(step): value for step, value in results["stage2_by_step"].items()}}
    steps = sorted(points)
    figure, axes = plt.subplots(1, 2, figsize=(8, 3))
    for axis, metric in zip(axes, ("mel_loss", "stoi")):
        axis.plot(steps, [points[step][metric] for step in steps], "o-")
        axis.axhline(results["stage1"][metric], color="gray", linestyle=":", label="stage-1 checkpoint")
        axis.set_xlabel("stage-2 step")
        axis.set_title(f"held-out {metric} ({'lower' if metric == 'mel_loss' else 'higher'} is better)")
        axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)


def first_and_last(entries: list[dict], key: str) -> tuple[float, float]:
    _, values = series(entries, key)
    return values[0], values[-1]


def summarise(out: Path, timings: dict, heldout: dict) -> dict:
    stage1, stage2 = history(out / "stage1"), history(out / "stage2")
    summary = {
        "seconds": timings,
        "stage1_eval_mel_first_last": first_and_last(stage1, "eval_loss/mel"),
        "stage1_eval_asr_first_last": first_and_last(stage1, "eval_loss/asr"),
        "stage1_train_mel_first_last": first_and_last(stage1, "loss/mel"),
        "stage1_train_asr_first_last": first_and_last(stage1, "loss/asr"),
        "stage2_eval_mel_first_last": first_and_last(stage2, "eval_loss/mel"),
        "heldout": heldout,
    }
    plot_curves(stage1, ["loss/mel", "loss/asr", "vq/commitment"], out / "stage1_curves.png", "stage 1 (tiny)")
    plot_curves(stage2, ["loss/mel", "loss/adv", "loss/fm", "loss/disc"], out / "stage2_curves.png", "stage 2 (tiny)")
    plot_heldout(heldout, out / "heldout.png")
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output-dir", default="outputs/tiny_learning")
    parser.add_argument("--stage1-recipe", default="configs/stage1_tiny.yaml")
    parser.add_argument("--stage2-recipe", default="configs/stage2_tiny.yaml")
    parser.add_argument("--fresh", action="store_true", help="delete previous runs in the output folder first")
    args = parser.parse_args()
    out = (REPO / args.output_dir).resolve()
    if args.fresh and out.exists():
        shutil.rmtree(out)
    timings = {
        "stage1": launch(args.stage1_recipe, ["--output_dir", str(out / "stage1"), "--eval_on_start", "true"]),
        "stage2": launch(args.stage2_recipe, ["--model_name_or_path", str(out / "stage1"),
                                              "--output_dir", str(out / "stage2"), "--eval_on_start", "true"]),
    }  # fmt: skip
    clips = heldout_clips(str(REPO / args.stage1_recipe))
    heldout = {stage: evaluate(out / stage, clips) for stage in ("stage1", "stage2")}
    checkpoints = checkpoint_folders(out / "stage2")
    heldout["stage2_by_step"] = {step: evaluate(checkpoints[step], clips) for step in sorted(checkpoints)}
    summary = summarise(out, timings, heldout)
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
