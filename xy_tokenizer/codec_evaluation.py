"""Evaluate the codec on audio files: reconstruct each clip, score it, write the reports."""

from pathlib import Path

import numpy as np
import torch
from tqdm.auto import tqdm

from .audio_io import find_audio_files, load_audio, resample
from .evaluation import (
    SIGNAL_METRICS,
    EvaluationResults,
    bitrate_bps,
    evaluate_pairs,
    write_json,
    write_markdown,
    write_mel_figure,
)
from .feature_extraction_xy_tokenizer import XYTokenizerFeatureExtractor
from .modeling_xy_tokenizer import XYTokenizerModel

REPORT_NAMES = {"markdown": "results.md", "json": "results.json", "figure": "mel_spectrograms.png"}


@torch.inference_mode()
def reconstruct(
    model: XYTokenizerModel,
    feature_extractor: XYTokenizerFeatureExtractor,
    clips: list[np.ndarray],
    num_quantizers: int | None = None,
    batch_size: int = 8,
    progress: bool = True,
) -> list[np.ndarray]:
    """Encode and decode `clips` (each `(samples,)` at the model's input rate) in batches.

    Returns one `(samples_out,)` float32 array per clip at `model.config.output_sampling_rate`."""
    rate = feature_extractor.sampling_rate
    outputs = []
    for start in tqdm(range(0, len(clips), batch_size), desc="reconstruct", unit="batch", disable=not progress):
        features = feature_extractor(clips[start : start + batch_size], sampling_rate=rate, return_tensors="pt")
        encoded = model.encode(
            features["input_values"].to(model.device), features["padding_mask"].to(model.device), num_quantizers
        )
        decoded = model.decode(encoded.audio_codes, encoded.audio_codes_mask)
        for row, length in enumerate(decoded.padding_mask.sum(-1).tolist()):
            outputs.append(decoded.audio_values[row, 0, :length].float().cpu().numpy())
    return outputs


def evaluate_codec(
    model: XYTokenizerModel,
    feature_extractor: XYTokenizerFeatureExtractor,
    inputs: list[str | Path],
    output_dir: str | Path,
    metrics: tuple[str, ...] = SIGNAL_METRICS,
    num_quantizers: int | None = None,
    batch_size: int = 8,
    speaker_model=None,
    asr_model=None,
    references_text: list[str] | None = None,
    progress: bool = True,
) -> EvaluationResults:
    """Score original vs reconstructed audio for every audio file under `inputs`.

    Metrics are computed at the input rate (16 kHz): reconstructions at 24/32 kHz are resampled
    with soxr. Writes `results.md`, `results.json` and `mel_spectrograms.png` into `output_dir`."""
    files = find_audio_files(inputs)
    rate = feature_extractor.sampling_rate
    references = [load_audio(path, rate) for path in files]
    reconstructions = reconstruct(model, feature_extractor, references, num_quantizers, batch_size, progress)
    clip_ids = [path.stem for path in files]
    results = evaluate_pairs(
        references, reconstructions, rate, metrics=metrics, speaker_model=speaker_model, asr_model=asr_model,
        references_text=references_text, clip_ids=clip_ids,
        reconstruction_sampling_rate=model.config.output_sampling_rate, resample_reconstructions=True,
    )  # fmt: skip
    used = num_quantizers or model.config.num_quantizers
    bits = bitrate_bps(used, model.config.codebook_size, model.config.frame_rate)
    results.models["codec"] = (
        f"{type(model).__name__} ({used} codebooks × {model.config.codebook_size} at {model.config.frame_rate:g} Hz "
        f"= {bits:g} bit/s, output {model.config.output_sampling_rate} Hz)"
    )
    output_dir = Path(output_dir)
    write_markdown(results, output_dir / REPORT_NAMES["markdown"])
    write_json(results, output_dir / REPORT_NAMES["json"])
    at_input_rate = [resample(clip, model.config.output_sampling_rate, rate) for clip in reconstructions]
    write_mel_figure(references, at_input_rate, rate, output_dir / REPORT_NAMES["figure"], clip_ids=clip_ids)
    return results
