"""Tokenize audio files to code files and decode code files back to audio (what the CLI runs)."""

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import torch
from safetensors.numpy import load_file, save_file
from tqdm.auto import tqdm

from .audio_io import find_audio_files, find_files, load_audio
from .feature_extraction_xy_tokenizer import XYTokenizerFeatureExtractor
from .modeling_xy_tokenizer import XYTokenizerModel

CODE_FORMATS = ("npy", "safetensors")
CODE_SUFFIXES = tuple(f".{name}" for name in CODE_FORMATS)
CODES_KEY = "audio_codes"


def load_model(
    model_path: str | Path, device: str = "cpu", dtype: str = "float32"
) -> tuple[XYTokenizerModel, XYTokenizerFeatureExtractor]:
    """Load a converted model folder (or Hub id) and its feature extractor, in eval mode."""
    torch_dtype = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}.get(dtype)
    if torch_dtype is None:
        raise ValueError(f"dtype must be float32, bfloat16 or float16, got {dtype!r}.")
    model = XYTokenizerModel.from_pretrained(model_path, dtype=torch_dtype).to(device).eval()
    return model, XYTokenizerFeatureExtractor.from_pretrained(model_path)


def _batches(items: list, size: int) -> Iterator[list]:
    if size < 1:
        raise ValueError(f"batch_size must be >= 1, got {size}.")
    for start in range(0, len(items), size):
        yield items[start : start + size]


@torch.inference_mode()
def encode_files(
    model: XYTokenizerModel,
    feature_extractor: XYTokenizerFeatureExtractor,
    inputs: list[str | Path],
    num_quantizers: int | None = None,
    batch_size: int = 8,
    progress: bool = True,
) -> Iterator[tuple[Path, np.ndarray]]:
    """Yield `(path, codes (num_quantizers, frames) int16)` for every audio file under `inputs`.

    Files are read at any rate (resampled to the model's), sorted by length into batches."""
    files = find_audio_files(inputs)
    rate = feature_extractor.sampling_rate
    with tqdm(total=len(files), desc="encode", unit="file", disable=not progress) as bar:
        for group in _batches(files, batch_size):
            clips = [load_audio(path, rate) for path in group]
            features = feature_extractor(clips, sampling_rate=rate, return_tensors="pt")
            output = model.encode(
                features["input_values"].to(model.device),
                features["padding_mask"].to(model.device),
                num_quantizers=num_quantizers,
            )
            lengths = output.audio_codes_mask.sum(-1).tolist()
            for row, path in enumerate(group):
                yield path, output.audio_codes[row, :, : lengths[row]].cpu().numpy().astype(np.int16)
            bar.update(len(group))


def save_codes(path: str | Path, codes: np.ndarray, metadata: dict[str, str] | None = None) -> Path:
    """Write codes `(num_quantizers, frames)` as `.npy` or `.safetensors` (by the path's suffix)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".npy":
        np.save(path, codes)
    elif path.suffix == ".safetensors":
        save_file({CODES_KEY: np.ascontiguousarray(codes)}, str(path), metadata=metadata)
    else:
        raise ValueError(f"Code files end in .npy or .safetensors, got {path}.")
    return path


def load_codes(path: str | Path) -> np.ndarray:
    """Read codes `(num_quantizers, frames)` written by `save_codes`."""
    path = Path(path)
    if path.suffix == ".npy":
        codes = np.load(path)
    elif path.suffix == ".safetensors":
        tensors = load_file(str(path))
        if CODES_KEY not in tensors:
            raise ValueError(f"{path} has no {CODES_KEY!r} tensor (found {sorted(tensors)}).")
        codes = tensors[CODES_KEY]
    else:
        raise ValueError(f"Code files end in .npy or .safetensors, got {path}.")
    if codes.ndim != 2:
        raise ValueError(f"{path}: codes must be (num_quantizers, frames), got shape {codes.shape}.")
    return codes


def find_code_files(inputs: list[str | Path]) -> list[Path]:
    return find_files(inputs, CODE_SUFFIXES, "code files")


@torch.inference_mode()
def decode_files(
    model: XYTokenizerModel, inputs: list[str | Path], batch_size: int = 8, progress: bool = True
) -> Iterator[tuple[Path, np.ndarray]]:
    """Yield `(path, audio (samples,) float32)` at `model.config.output_sampling_rate` for every code file."""
    files = find_code_files(inputs)
    with tqdm(total=len(files), desc="decode", unit="file", disable=not progress) as bar:
        for group in _batches(files, batch_size):
            codes = [load_codes(path) for path in group]
            stages = {c.shape[0] for c in codes}
            if len(stages) != 1:
                raise ValueError(f"Files in one batch have different numbers of quantizers {stages}; use batch_size=1.")
            frames = max(c.shape[1] for c in codes)
            batch = torch.zeros(len(codes), stages.pop(), frames, dtype=torch.long)
            mask = torch.zeros(len(codes), frames, dtype=torch.long)
            for row, c in enumerate(codes):
                batch[row, :, : c.shape[1]] = torch.from_numpy(c.astype(np.int64))
                mask[row, : c.shape[1]] = 1
            output = model.decode(batch.to(model.device), mask.to(model.device))
            lengths = output.padding_mask.sum(-1).tolist()
            for row, path in enumerate(group):
                yield path, output.audio_values[row, 0, : lengths[row]].float().cpu().numpy()
            bar.update(len(group))


def output_path(source: Path, inputs: list[str | Path], output_dir: Path, suffix: str) -> Path:
    """Where the result for `source` goes: its path relative to the input folder it came from."""
    for root in map(Path, inputs):
        if root.is_dir() and root in source.parents:
            return (output_dir / source.relative_to(root)).with_suffix(suffix)
    return (output_dir / source.name).with_suffix(suffix)
