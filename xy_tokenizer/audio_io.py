"""Reading and writing audio files without ffmpeg: soundfile decodes, soxr resamples."""

from pathlib import Path

import numpy as np
import soundfile
import soxr

AUDIO_EXTENSIONS = (".wav", ".flac", ".ogg", ".mp3", ".aiff", ".aif", ".opus")


def resample(audio: np.ndarray, orig_sr: int, target_sr: int) -> np.ndarray:
    """Resample `audio` `(samples,)` float32 from `orig_sr` to `target_sr` with soxr (high quality)."""
    if orig_sr <= 0 or target_sr <= 0:
        raise ValueError(f"Sampling rates must be positive, got {orig_sr} → {target_sr}.")
    if orig_sr == target_sr:
        return audio.astype(np.float32, copy=False)
    return soxr.resample(audio, orig_sr, target_sr, quality="HQ").astype(np.float32)


def to_mono(audio: np.ndarray) -> np.ndarray:
    """`(samples,)` or soundfile's `(samples, channels)` → `(samples,)` by averaging channels."""
    if audio.ndim == 1:
        return audio
    if audio.ndim == 2:
        return audio.mean(axis=1)
    raise ValueError(f"Expected (samples,) or (samples, channels) audio, got shape {audio.shape}.")


def load_audio(path: str | Path, sampling_rate: int) -> np.ndarray:
    """Read an audio file as mono float32 at `sampling_rate`: `(samples,)`.

    Multi-channel files are averaged to mono; any input rate is resampled."""
    try:
        audio, file_rate = soundfile.read(str(path), dtype="float32", always_2d=False)
    except (RuntimeError, soundfile.LibsndfileError) as error:
        raise ValueError(f"Cannot decode {path} with soundfile/libsndfile: {error}") from error
    audio = to_mono(np.asarray(audio, dtype=np.float32))
    if audio.size == 0:
        raise ValueError(f"{path} contains no samples.")
    return resample(audio, int(file_rate), sampling_rate)


def save_audio(path: str | Path, audio: np.ndarray, sampling_rate: int) -> None:
    """Write `audio` `(samples,)` float as a 16-bit PCM (WAV/FLAC by extension) or float WAV file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    subtype = "PCM_16" if path.suffix.lower() in (".flac",) else "FLOAT"
    soundfile.write(str(path), np.asarray(audio, dtype=np.float32), sampling_rate, subtype=subtype)


def find_files(paths: list[str | Path], suffixes: tuple[str, ...], kind: str) -> list[Path]:
    """Expand files and folders (searched recursively for `suffixes`) into a list of files:
    folder contents sorted, given files kept in order. `kind` names them in errors."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes))
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"No such file or folder: {path}")
    if not found:
        raise ValueError(f"No {kind} ({', '.join(suffixes)}) under {[str(p) for p in paths]}.")
    return found


def find_audio_files(paths: list[str | Path]) -> list[Path]:
    return find_files(paths, AUDIO_EXTENSIONS, "audio files")
