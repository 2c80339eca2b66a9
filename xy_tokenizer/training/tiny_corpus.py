"""A small English speech corpus with known transcripts, built locally (no downloads).

Two engines:

- ``espeak``: Debian's ``espeak-ng`` speaks short sentences with a few voices and speeds;
- ``tones``: a synthetic "tone language" — each letter is a 60 ms harmonic sound with its own pitch
  and two formant-like peaks — fast, dependency-free and still learnable (tests, CI).

The corpus is a folder of WAV files with ``train.csv`` / ``eval.csv`` manifests (``audio``, ``text``),
readable by ``datasets.load_dataset('csv', ...)``. Building is deterministic for a given seed.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from ..audio_io import find_audio_files, load_audio, save_audio

WORDS = (
    "the a red blue green small big old new cat dog bird fish tree house car boat sun moon star river "
    "hill road door book cup hand light rain wind snow stone runs sees likes finds holds opens sings "
    "jumps reads walks near over under with from into and but then now here there today slowly quickly"
).split()
ESPEAK_VOICES = ("en-us", "en-gb", "en-us+f3", "en-gb+m3", "en-us+f2", "en-us+m7")
TONE_RATE = 16000
MANIFEST_FIELDS = ("audio", "text")


def sentences(count: int, seed: int = 0, min_words: int = 2, max_words: int = 4) -> list[str]:
    """``count`` short random sentences over a fixed 60-word vocabulary."""
    rng = np.random.default_rng(seed)
    return [" ".join(rng.choice(WORDS, size=int(rng.integers(min_words, max_words + 1)))) for _ in range(count)]


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def speak(text: str, path: Path, voice: str, speed: int) -> None:
    """Write ``text`` spoken by espeak-ng to ``path`` (WAV, espeak's 22.05 kHz)."""
    command = ["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), text]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not path.is_file():
        raise RuntimeError(f"espeak-ng failed on {text!r}: {result.stderr.strip()}")


def tone_speech(text: str, rng: np.random.Generator, rate: int = TONE_RATE) -> np.ndarray:
    """Synthetic utterance: 60 ms per letter, 40 ms pause per space; ``(samples,)`` float32."""
    pieces = [np.zeros(int(0.05 * rate), dtype=np.float32)]
    pitch_shift = rng.uniform(0.85, 1.2)  # a different "speaker" per utterance
    t = np.arange(int(0.06 * rate)) / rate
    envelope = np.hanning(t.size).astype(np.float32)
    for char in text:
        if char == " ":
            pieces.append(np.zeros(int(0.04 * rate), dtype=np.float32))
            continue
        code = ord(char) - ord("a")
        f0 = (110 + 9 * code) * pitch_shift
        formants = (300 + 80 * (code % 9), 900 + 150 * (code // 3))
        harmonics = np.arange(1, int(3800 / f0))
        gains = sum(np.exp(-((((harmonics * f0) - f) / 180.0) ** 2)) for f in formants) + 0.05
        wave = (gains[:, None] * np.sin(2 * np.pi * f0 * harmonics[:, None] * t[None, :])).sum(0)
        pieces.append((0.25 * envelope * wave / np.abs(wave).max()).astype(np.float32))
    pieces.append(np.zeros(int(0.05 * rate), dtype=np.float32))
    audio = np.concatenate(pieces)
    return audio + rng.normal(0, 1e-3, audio.shape).astype(np.float32)


def _write_manifest(path: Path, rows: list[tuple[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(MANIFEST_FIELDS)
        writer.writerows(rows)


def _synthesise(folder: Path, texts: list[str], engine: str, seed: int) -> list[tuple[str, str]]:
    rng = np.random.default_rng(seed)
    rows = []
    for index, text in enumerate(texts):
        name = f"wav/{index:05d}.wav"
        path = folder / name
        if engine == "espeak":
            voice = ESPEAK_VOICES[int(rng.integers(len(ESPEAK_VOICES)))]
            speak(text, path, voice, int(rng.integers(140, 200)))
        else:
            save_audio(path, tone_speech(text, rng), TONE_RATE)
        rows.append((name, text))
    return rows


def _copy_extra_audio(folder: Path, sources: list[str], chunk_seconds: float = 2.0) -> list[tuple[str, str]]:
    """Real recordings without transcripts (reconstruction only), as 16 kHz WAV chunks of at most
    ``chunk_seconds`` (similar lengths keep batches free of long padding)."""
    rows = []
    chunk = int(chunk_seconds * 16000)
    for index, path in enumerate(find_audio_files(sources)):
        audio = load_audio(path, 16000)
        for part, start in enumerate(range(0, audio.shape[0], chunk)):
            piece = audio[start : start + chunk]
            if piece.shape[0] < chunk // 4:
                continue
            name = f"extra/{index:03d}_{path.stem}_{part:02d}.wav"
            save_audio(folder / name, piece, 16000)
            rows.append((name, ""))
    return rows


def build_tiny_corpus(
    folder: str | Path,
    size: int = 240,
    engine: str = "auto",
    extra_audio: list[str] | None = None,
    seed: int = 0,
    eval_fraction: float = 0.1,
) -> tuple[Path, Path]:
    """Build (or reuse) the corpus in ``folder``; returns ``(train.csv, eval.csv)``.

    The last ``eval_fraction`` of the synthesised utterances are held out; extra recordings go to
    training only. An existing complete corpus (``train.csv`` written last) is reused as is.
    """
    folder = Path(folder)
    train_path, eval_path = folder / "train.csv", folder / "eval.csv"
    if train_path.is_file() and eval_path.is_file():
        return train_path, eval_path
    if engine == "auto":
        engine = "espeak" if espeak_available() else "tones"
    if engine == "espeak" and not espeak_available():
        raise ValueError("tiny_corpus_engine='espeak' needs espeak-ng on PATH (apt-get install -y espeak-ng)")
    if size < 2:
        raise ValueError(f"The tiny corpus needs at least 2 utterances, but got size={size}")
    folder.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder.parent, prefix=f".{folder.name}.") as staging:
        staging = Path(staging)
        (staging / "wav").mkdir()
        rows = _synthesise(staging, sentences(size, seed), engine, seed)
        held_out = max(1, round(size * eval_fraction))
        train_rows, eval_rows = rows[:-held_out], rows[-held_out:]
        if extra_audio:
            train_rows += _copy_extra_audio(staging, extra_audio)
        _write_manifest(staging / "eval.csv", eval_rows)
        _write_manifest(staging / "train.csv", train_rows)
        (staging / "ENGINE").write_text(engine + "\n")
        if folder.exists():
            shutil.rmtree(folder)
        shutil.move(str(staging), str(folder))
        staging.mkdir()  # let TemporaryDirectory clean up an empty folder
    return train_path, eval_path


def transcripts(manifest: str | Path) -> list[str]:
    """Non-empty transcripts of a corpus manifest (to train a tokenizer on)."""
    with Path(manifest).open(encoding="utf-8") as handle:
        return [row["text"] for row in csv.DictReader(handle) if row["text"]]
