"""Metrics comparing original speech with its codec reconstruction.

Plain functions on NumPy float waveforms plus a sampling rate (``reference`` first, then
``reconstruction``); each validates its input (mono, non-empty, finite, float) and trims the pair
to the common length (see :class:`~xy_tokenizer.evaluation.config.AlignmentConfig`):

* :func:`stoi` - intelligibility (``pystoi``)
* :func:`pesq_narrowband`, :func:`pesq_wideband` - PESQ (``pesq``, resampled with ``soxr``)
* :func:`mel_distance` - L1 between log-mel spectrograms
* :func:`speaker_similarity` - cosine similarity of speaker embeddings (pluggable
  :class:`SpeakerModel`, offline default Resemblyzer)
* :func:`word_error_rate` / :func:`character_error_rate` on texts, with pluggable
  :class:`ASRModel` backends (:class:`FasterWhisperASR`, :class:`TransformersASR`)
* :func:`bitrate_bps` - bits per second of a token stream

:func:`evaluate_pairs` runs several metrics over many clips; :func:`write_markdown`,
:func:`write_json` and :func:`write_mel_figure` write reports. The same metrics are available as
Hugging Face ``evaluate`` modules via :func:`load_evaluate_metric`.

Optional packages (``pystoi``, ``pesq``, ``resemblyzer``, ``faster-whisper``, ``evaluate``,
``matplotlib``) are imported only when used; a missing one raises :class:`MissingDependencyError`.
"""

from .asr_models import (
    ASRModel,
    FasterWhisperASR,
    FasterWhisperConfig,
    TransformersASR,
    TransformersASRConfig,
    bundled_faster_whisper_model_dir,
)
from .bitrate import bitrate_bps
from .config import (
    AlignmentConfig,
    MelSpectrogramConfig,
    PesqConfig,
    StoiConfig,
    TextNormalizationConfig,
)
from .dependencies import MissingDependencyError
from .error_rates import EditCounts, character_error_rate, word_edit_counts, word_error_rate
from .figures import FigureConfig, write_mel_figure
from .hf_evaluate import EVALUATE_METRIC_NAMES, evaluate_metric_dir, load_evaluate_metric
from .intelligibility import stoi
from .mel_distance import mel_distance
from .mel_spectrogram import log_mel_spectrogram, mel_filter_bank
from .metric_catalog import METRICS, SIGNAL_METRICS, MetricInfo
from .pair_evaluation import evaluate_pairs
from .perceptual_quality import pesq, pesq_narrowband, pesq_wideband
from .report import format_markdown, write_json, write_markdown
from .results import EvaluationConfig, EvaluationResults
from .speaker_models import ResemblyzerConfig, ResemblyzerSpeakerModel, SpeakerModel, default_speaker_model
from .speaker_similarity import cosine_similarity, speaker_similarity
from .text_normalization import normalize_text
from .waveforms import align_pair, resample, validate_waveform

__all__ = [
    "ASRModel",
    "AlignmentConfig",
    "EVALUATE_METRIC_NAMES",
    "EditCounts",
    "EvaluationConfig",
    "EvaluationResults",
    "FasterWhisperASR",
    "FasterWhisperConfig",
    "FigureConfig",
    "METRICS",
    "MelSpectrogramConfig",
    "MetricInfo",
    "MissingDependencyError",
    "PesqConfig",
    "ResemblyzerConfig",
    "ResemblyzerSpeakerModel",
    "SIGNAL_METRICS",
    "SpeakerModel",
    "StoiConfig",
    "TextNormalizationConfig",
    "TransformersASR",
    "TransformersASRConfig",
    "align_pair",
    "bitrate_bps",
    "bundled_faster_whisper_model_dir",
    "character_error_rate",
    "cosine_similarity",
    "default_speaker_model",
    "evaluate_metric_dir",
    "evaluate_pairs",
    "format_markdown",
    "load_evaluate_metric",
    "log_mel_spectrogram",
    "mel_distance",
    "mel_filter_bank",
    "normalize_text",
    "pesq",
    "pesq_narrowband",
    "pesq_wideband",
    "resample",
    "speaker_similarity",
    "stoi",
    "validate_waveform",
    "word_edit_counts",
    "word_error_rate",
    "write_json",
    "write_markdown",
    "write_mel_figure",
]
