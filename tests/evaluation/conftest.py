"""Shared fixtures of the evaluation tests: two real speech clips and seeded degradations."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "speech"
NOISE_SEED = 1234


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: runs a real model (ASR transcription); deselect with -m 'not slow'")


def _add_noise(waveform: np.ndarray, snr_db: float, seed: int = NOISE_SEED) -> np.ndarray:
    """``waveform`` (shape ``(num_samples,)``) plus seeded white noise at ``snr_db`` dB SNR."""
    rng = np.random.default_rng(seed)
    signal_rms = np.sqrt(np.mean(waveform**2))
    return waveform + signal_rms * 10 ** (-snr_db / 20) * rng.standard_normal(waveform.shape)


@pytest.fixture(scope="session")
def add_noise():
    """Function ``(waveform, snr_db, seed=1234) -> noisy waveform`` (seeded white noise)."""
    return _add_noise


def _read(name: str) -> tuple[np.ndarray, int]:
    waveform, sampling_rate = sf.read(DATA_DIR / name, dtype="float64")
    return waveform, sampling_rate


@pytest.fixture(scope="session")
def transcripts() -> dict[str, str]:
    return json.loads((DATA_DIR / "transcripts.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def speech_16k() -> tuple[np.ndarray, int]:
    """English audiobook clip, 4.78 s at 16 kHz (``xy_2.flac``)."""
    return _read("xy_2.flac")


@pytest.fixture(scope="session")
def speech_24k() -> tuple[np.ndarray, int]:
    """Another English speaker, 1.35 s at 24 kHz (``moss_m1.wav``)."""
    return _read("moss_m1.wav")
