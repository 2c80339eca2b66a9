"""Periodic audio samples: held-out clips reconstructed by the current generator, with a PNG of the
original vs reconstructed mel spectrogram, under ``output_dir/samples/step-N/``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from transformers import TrainerCallback

from ..audio_io import save_audio
from .losses.mel import MelSpectrogram

PLOT_WINDOW, PLOT_HOP, PLOT_MELS = 1024, 256, 80


def log_mel(audio: np.ndarray, sampling_rate: int) -> np.ndarray:
    """``(samples,)`` → log10 mel ``(80, frames)`` for plotting (1024-sample window at 16 kHz)."""
    window = max(256, int(PLOT_WINDOW * sampling_rate / 16000))
    spectrogram = MelSpectrogram(window, window // 4, PLOT_MELS, sampling_rate)
    with torch.no_grad():
        mel = spectrogram(torch.from_numpy(np.asarray(audio, dtype=np.float32))[None])[0]
    return torch.log10(mel.clamp(min=1e-5)).numpy()


def plot_mels(
    path: str | Path, original: np.ndarray, reconstruction: np.ndarray, sampling_rate: int, title: str
) -> None:
    """Save a two-panel PNG (original above, reconstruction below) on a shared colour scale."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    mels = [log_mel(original, sampling_rate), log_mel(reconstruction, sampling_rate)]
    low, high = min(m.min() for m in mels), max(m.max() for m in mels)
    figure, axes = plt.subplots(2, 1, figsize=(8, 5), sharex=True)
    for axis, mel, name in zip(axes, mels, ("original", "reconstruction")):
        axis.imshow(mel, origin="lower", aspect="auto", vmin=low, vmax=high, cmap="magma")
        axis.set_ylabel(f"{name}\nmel bin")
    axes[-1].set_xlabel("frame")
    figure.suptitle(title)
    figure.tight_layout()
    figure.savefig(path, dpi=80)
    plt.close(figure)


@torch.no_grad()
def reconstruct(codec, audio: np.ndarray) -> np.ndarray:
    """Run the codec (eval mode, no gradient) on one 16 kHz clip; returns the decoded ``(samples,)``."""
    was_training = codec.training
    codec.eval()
    try:
        inputs = torch.from_numpy(np.asarray(audio, dtype=np.float32))[None, None].to(codec.device)
        output = codec(input_values=inputs)
    finally:
        codec.train(was_training)
    return output.audio_values[0, 0].float().cpu().numpy()


def write_samples(codec, clips: list[dict], folder: str | Path, title: str) -> list[Path]:
    """Write ``clip{i}_original.wav``, ``clip{i}_reconstruction.wav`` and ``clip{i}_mel.png`` for each clip.

    ``clips`` are items of :class:`AudioTextDataset` (``input_values`` and optional ``target_values``)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rate = codec.config.output_sampling_rate
    written = []
    for index, clip in enumerate(clips):
        target = clip["target_values"] if clip.get("target_values") is not None else clip["input_values"]
        reconstruction = reconstruct(codec, clip["input_values"])
        target = target[: reconstruction.shape[0]]
        save_audio(folder / f"clip{index}_original.wav", target, rate)
        save_audio(folder / f"clip{index}_reconstruction.wav", reconstruction, rate)
        plot_mels(folder / f"clip{index}_mel.png", target, reconstruction, rate, f"{title} — clip {index}")
        written.append(folder / f"clip{index}_mel.png")
    return written


class AudioSampleCallback(TrainerCallback):
    """Writes samples every ``every_steps`` optimizer steps, or at every save when ``every_steps`` is 0.

    Runs on the main process only; the codec runs in eval mode, which never touches the RVQ buffers or
    the random number generators (so it cannot change the training trajectory).
    """

    def __init__(self, clips: list[dict], every_steps: int = 0) -> None:
        self.clips = clips
        self.every_steps = every_steps

    def _write(self, args, state, model) -> None:
        if not self.clips or not state.is_world_process_zero or model is None:
            return
        folder = Path(args.output_dir) / "samples" / f"step-{state.global_step:07d}"
        was_training = model.training
        try:
            write_samples(model.codec, self.clips, folder, f"step {state.global_step}")
        finally:
            model.train(was_training)  # through the wrapper: frozen parts go back to eval mode

    def on_step_end(self, args, state, control, model=None, **kwargs):
        if self.every_steps and state.global_step % self.every_steps == 0:
            self._write(args, state, model)

    def on_save(self, args, state, control, model=None, **kwargs):
        if not self.every_steps:
            self._write(args, state, model)
