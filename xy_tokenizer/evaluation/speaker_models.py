"""Pluggable speaker-embedding models for the speaker-similarity metric.

Any object with ``embed(waveform, sampling_rate) -> np.ndarray`` works (see :class:`SpeakerModel`),
e.g. a wrapper around a WavLM/ECAPA verification model. The offline default is Resemblyzer
(``pip install resemblyzer``), whose GE2E d-vector weights (17 MB) ship inside its wheel, so it
loads without any hub access.

Installing Resemblyzer on current Python stacks: its dependency ``webrtcvad`` 2.0.10 imports
``pkg_resources``, which recent ``setuptools`` no longer provides. Use the drop-in fork instead::

    pip install webrtcvad-wheels librosa scipy
    pip install --no-deps resemblyzer
"""

from __future__ import annotations

import contextlib
import warnings
from dataclasses import dataclass
from typing import Any, Iterator, Protocol, runtime_checkable

import numpy as np

from .dependencies import MissingDependencyError, require
from .waveforms import resample, validate_sampling_rate, validate_waveform

RESEMBLYZER_INSTALL_HINT = "webrtcvad-wheels librosa scipy && pip install --no-deps resemblyzer"


@runtime_checkable
class SpeakerModel(Protocol):
    """Maps a mono waveform to a fixed-size speaker embedding."""

    def embed(self, waveform: np.ndarray, sampling_rate: int) -> np.ndarray:
        """Embed one utterance.

        Args:
            waveform: Mono audio, shape ``(num_samples,)``, float in ``[-1, 1]``.
            sampling_rate: Its rate in Hz; the model resamples as it needs.

        Returns:
            Embedding of shape ``(embedding_dim,)``.
        """
        ...


@dataclass(frozen=True)
class ResemblyzerConfig:
    """Settings of :class:`ResemblyzerSpeakerModel`.

    Attributes:
        device: Torch device for the LSTM encoder.
        preprocess: Apply Resemblyzer's ``preprocess_wav`` (loudness normalisation to -30 dBFS and
            removal of long silences with WebRTC VAD) before embedding, as its authors recommend.
        model_sampling_rate: Rate the encoder was trained at (fixed by the released weights).
        resample_quality: ``soxr`` quality preset used to reach ``model_sampling_rate``.
        num_threads: Torch intra-op threads while embedding (the previous value is restored
            afterwards); ``None`` leaves torch's setting alone. The 3-layer LSTM runs step by
            step, so one thread is fastest and avoids contention with the thread pools of
            NumPy/SciPy (measured on 2 cores: 0.04 s per 5 s clip with 1 thread, 0.08 s to 1.4 s
            with 2).
    """

    device: str = "cpu"
    preprocess: bool = True
    model_sampling_rate: int = 16000
    resample_quality: str = "HQ"
    num_threads: int | None = 1


class ResemblyzerSpeakerModel:
    """Resemblyzer GE2E voice encoder (256-dim, L2-normalised, non-negative d-vectors).

    The encoder is loaded once per instance from the weights bundled in the ``resemblyzer``
    wheel; no network access is needed.
    """

    def __init__(self, config: ResemblyzerConfig = ResemblyzerConfig()) -> None:
        self.config = config
        try:
            with warnings.catch_warnings():
                # resemblyzer 0.1.4 imports scipy.ndimage.morphology, deprecated since SciPy 1.8.
                warnings.filterwarnings("ignore", category=DeprecationWarning, module="resemblyzer")
                warnings.filterwarnings("ignore", message=".*scipy.ndimage.morphology.*", category=DeprecationWarning)
                resemblyzer = require("resemblyzer", RESEMBLYZER_INSTALL_HINT, "The Resemblyzer speaker model")
        except MissingDependencyError:
            raise
        except Exception as error:  # any other failure while importing resemblyzer or its dependencies
            raise MissingDependencyError(
                f"resemblyzer is installed but failed to import ({error!r}); install it with: "
                f"pip install {RESEMBLYZER_INSTALL_HINT}"
            ) from error
        self._preprocess_wav = resemblyzer.preprocess_wav
        self._encoder = resemblyzer.VoiceEncoder(device=config.device, verbose=False)

    def embed(self, waveform: np.ndarray, sampling_rate: int) -> np.ndarray:
        """See :meth:`SpeakerModel.embed`; returns shape ``(256,)``."""
        waveform = validate_waveform(waveform)
        sampling_rate = validate_sampling_rate(sampling_rate)
        waveform = resample(waveform, sampling_rate, self.config.model_sampling_rate, self.config.resample_quality)
        waveform = waveform.astype(np.float32)
        if self.config.preprocess:
            waveform = self._preprocess_wav(waveform)  # already at the model rate: no resampling
        if waveform.size == 0:
            raise ValueError("no speech left after Resemblyzer's silence removal")
        with _torch_threads(self.config.num_threads):
            embedding = self._encoder.embed_utterance(waveform)
        return np.asarray(embedding, dtype=np.float64)


@contextlib.contextmanager
def _torch_threads(num_threads: int | None) -> Iterator[None]:
    """Temporarily set ``torch.set_num_threads(num_threads)``; no-op for ``None``."""
    if num_threads is None:
        yield
        return
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(num_threads)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


_DEFAULT_SPEAKER_MODEL: SpeakerModel | None = None


def default_speaker_model() -> SpeakerModel:
    """The process-wide :class:`ResemblyzerSpeakerModel` (created on first use)."""
    global _DEFAULT_SPEAKER_MODEL
    if _DEFAULT_SPEAKER_MODEL is None:
        _DEFAULT_SPEAKER_MODEL = ResemblyzerSpeakerModel()
    return _DEFAULT_SPEAKER_MODEL


def check_speaker_model(model: Any) -> SpeakerModel:
    """Return ``model`` if it has a callable ``embed`` method, else raise ``TypeError``."""
    if not callable(getattr(model, "embed", None)):
        raise TypeError(f"speaker_model must have an embed(waveform, sampling_rate) method, got {type(model).__name__}")
    return model
