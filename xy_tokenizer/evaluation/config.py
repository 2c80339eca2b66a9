"""Typed, documented configuration of the evaluation metrics.

Every number a metric depends on lives here, so a report can state exactly how it was computed
(:func:`dataclasses.asdict` of these objects is written into the JSON report).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AlignmentConfig:
    """How a reference and its reconstruction are brought to the same length.

    A codec reconstruction is usually a few samples (up to about one code frame) shorter or longer
    than its input. Both signals are trimmed to the shorter length (samples are dropped at the
    end, never padded), so metrics compare time-aligned samples. A larger difference almost
    always means a wrong pairing, so it raises ``ValueError``.

    Attributes:
        max_length_mismatch_seconds: Largest tolerated ``|len(reference) - len(reconstruction)|``
            in seconds before trimming; ``None`` accepts any difference. The default (0.5 s) is
            several XY-Tokenizer frames (80 ms each at 12.5 Hz).
    """

    max_length_mismatch_seconds: float | None = 0.5


@dataclass(frozen=True)
class StoiConfig:
    """Short-Time Objective Intelligibility (Taal et al., 2011) via ``pystoi``.

    Attributes:
        extended: Compute extended STOI (Jensen & Taal, 2016) instead of the classic measure.
    """

    extended: bool = False


@dataclass(frozen=True)
class PesqConfig:
    """ITU-T P.862 PESQ via the ``pesq`` package.

    Narrow-band PESQ (P.862.1 MOS-LQO, at most about 4.55) runs at 8 kHz and wide-band PESQ
    (P.862.2, at most about 4.64) at 16 kHz; inputs at other rates are resampled with ``soxr``.

    Attributes:
        narrowband_sampling_rate: Rate narrow-band PESQ is computed at (fixed by the standard).
        wideband_sampling_rate: Rate wide-band PESQ is computed at (fixed by the standard).
        resample_quality: ``soxr`` quality preset used for that resampling.
    """

    narrowband_sampling_rate: int = 8000
    wideband_sampling_rate: int = 16000
    resample_quality: str = "HQ"


@dataclass(frozen=True)
class MelSpectrogramConfig:
    """Log-mel spectrogram used by the mel distance and the spectrogram figures.

    The STFT uses a periodic Hann window of ``win_length`` samples zero-padded to ``n_fft``, frames
    centred on ``t * hop_length`` (reflect padding of ``n_fft // 2`` at both ends), magnitude
    ``|X| ** power``, a Slaney-style mel filter bank (Slaney mel scale and area normalisation,
    as ``librosa.filters.mel`` defaults), then ``log(max(mel, log_floor))`` (natural log).

    The defaults (64 ms window, 16 ms hop at 16 kHz, 80 mels up to Nyquist, magnitude) are the
    usual neural-codec choice; the window/hop are in samples, so at other rates the same config
    spans a different duration.

    Attributes:
        n_fft: FFT size in samples.
        hop_length: Hop between frames in samples.
        win_length: Hann window length in samples (``<= n_fft``).
        n_mels: Number of mel bands.
        f_min: Lowest mel band edge in Hz.
        f_max: Highest mel band edge in Hz; ``None`` means the Nyquist frequency.
        power: Exponent on the STFT magnitude (1 = magnitude, 2 = power).
        log_floor: Clamp applied before the logarithm, to avoid ``log(0)`` in silence.
    """

    n_fft: int = 1024
    hop_length: int = 256
    win_length: int = 1024
    n_mels: int = 80
    f_min: float = 0.0
    f_max: float | None = None
    power: float = 1.0
    log_floor: float = 1e-5


@dataclass(frozen=True)
class TextNormalizationConfig:
    """Normalisation applied to both texts before counting word or character errors.

    Steps, in order: Unicode normalisation (``unicode_form``), lower-casing, deleting apostrophes
    (``don't`` -> ``dont``), replacing every other punctuation character (Unicode category ``P*``)
    with a space, then splitting on whitespace. Digits and symbols are kept as they are (no number
    spelling), so ``"10"`` and ``"ten"`` differ.

    Attributes:
        unicode_form: Argument of :func:`unicodedata.normalize`; ``None`` skips it.
        lowercase: Case-fold the text.
        remove_punctuation: Apply the two punctuation steps above.
    """

    unicode_form: str | None = "NFKC"
    lowercase: bool = True
    remove_punctuation: bool = True
