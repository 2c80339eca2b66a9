"""Multi-scale log-mel reconstruction loss (DAC's ``MelSpectrogramLoss``, TRAINING.md §2.3)."""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from torch import nn

from ..padding import check_audio_pair, mask_padding, valid_lengths
from .mel_filters import mel_filter_bank


@dataclass
class MelLossConfig:
    """Hyper-parameters of :class:`MultiScaleMelLoss`. Defaults are DAC's ``conf/base.yml``.

    The sampling rate is not a field: it is the rate of the audio being compared and is passed to
    the loss by whoever builds it (16, 24 or 32 kHz decoders share one config).
    """

    mel_window_lengths: list[int] = field(
        default_factory=lambda: [32, 64, 128, 256, 512, 1024, 2048],
        metadata={"help": "STFT window (= FFT) length in samples of each scale."},
    )
    mel_num_mels: list[int] = field(
        default_factory=lambda: [5, 10, 20, 40, 80, 160, 320],
        metadata={"help": "Number of mel bins of each scale (same length as mel_window_lengths)."},
    )
    mel_hop_fraction: float = field(
        default=0.25, metadata={"help": "Hop length as a fraction of the window length."}
    )
    mel_min_frequency: float = field(default=0.0, metadata={"help": "Lowest mel filter edge in Hz."})
    mel_max_frequency: float | None = field(
        default=None, metadata={"help": "Highest mel filter edge in Hz; None means the Nyquist frequency."}
    )
    mel_clamp_eps: float = field(
        default=1e-5, metadata={"help": "Mel magnitudes are clamped to at least this before the log10."}
    )
    mel_power: float = field(
        default=1.0, metadata={"help": "Exponent applied to the clamped mel magnitude before the log10."}
    )
    mel_log_weight: float = field(default=1.0, metadata={"help": "Weight of the L1 distance of log10 mels."})
    mel_magnitude_weight: float = field(
        default=0.0, metadata={"help": "Weight of the L1 distance of linear mel magnitudes (DAC: 0)."}
    )

    def __post_init__(self) -> None:
        if len(self.mel_window_lengths) != len(self.mel_num_mels) or not self.mel_window_lengths:
            raise ValueError(
                "mel_window_lengths and mel_num_mels must be non-empty and of equal length, but got "
                f"{self.mel_window_lengths} and {self.mel_num_mels}"
            )
        if any(w < 2 for w in self.mel_window_lengths) or any(m < 1 for m in self.mel_num_mels):
            raise ValueError(
                "Expected window lengths >= 2 and mel counts >= 1, "
                f"but got {self.mel_window_lengths} and {self.mel_num_mels}"
            )
        if not 0.0 < self.mel_hop_fraction <= 1.0:
            raise ValueError(f"mel_hop_fraction must be in (0, 1], but got {self.mel_hop_fraction}")
        if self.mel_clamp_eps <= 0.0:
            raise ValueError(f"mel_clamp_eps must be positive, but got {self.mel_clamp_eps}")
        if self.mel_log_weight < 0.0 or self.mel_magnitude_weight < 0.0:
            raise ValueError(
                f"mel_log_weight and mel_magnitude_weight must be >= 0, but got "
                f"{self.mel_log_weight} and {self.mel_magnitude_weight}"
            )

    def hop_length(self, window_length: int) -> int:
        """Hop of the scale with ``window_length``."""
        return max(1, int(window_length * self.mel_hop_fraction))


class MelSpectrogram(nn.Module):
    """Magnitude mel spectrogram of one scale (Hann window, centred frames).

    Args:
        window_length: window and FFT length in samples.
        hop_length: hop in samples.
        num_mels: number of mel filters.
        sampling_rate: audio sampling rate in Hz.
        min_frequency / max_frequency: mel filter range in Hz (``None``: Nyquist).
    """

    def __init__(
        self,
        window_length: int,
        hop_length: int,
        num_mels: int,
        sampling_rate: int,
        min_frequency: float = 0.0,
        max_frequency: float | None = None,
    ) -> None:
        super().__init__()
        self.window_length = window_length
        self.hop_length = hop_length
        self.num_mels = num_mels
        # Non-persistent: derived from hyper-parameters, so they stay out of checkpoints.
        self.register_buffer("window", torch.hann_window(window_length), persistent=False)
        self.register_buffer(
            "filters",
            mel_filter_bank(window_length, num_mels, sampling_rate, min_frequency, max_frequency),
            persistent=False,
        )

    def num_frames(self, samples: int) -> int:
        """Frames produced for ``samples`` input samples."""
        return samples // self.hop_length + 1

    def forward(self, audio: torch.Tensor) -> torch.Tensor:
        """
        Args:
            audio: ``(batch_size, samples)`` float32.

        Returns:
            ``(batch_size, num_mels, frames)`` with ``frames = samples // hop_length + 1``;
            frame ``t`` is centred on sample ``t * hop_length``.
        """
        # Zero (not reflect) centre padding: works for clips shorter than half a window, and a
        # zero-padded item then sees exactly what it sees when run alone.
        spectrum = torch.stft(
            audio,
            n_fft=self.window_length,
            hop_length=self.hop_length,
            window=self.window,
            center=True,
            pad_mode="constant",
            return_complex=True,
        )  # (batch, window_length // 2 + 1, frames)
        return torch.matmul(self.filters, spectrum.abs())  # (batch, num_mels, frames)


class MultiScaleMelLoss(nn.Module):
    """L1 distance of log10 mel spectrograms at several resolutions, summed over scales (DAC).

    Per scale: ``log_weight * L1(log10(clamp(mel_pred, eps) ** power), log10(clamp(mel_true, eps) ** power))
    + magnitude_weight * L1(mel_pred, mel_true)``, each a mean over mel bins and valid frames.

    Padding: both signals are zeroed beyond each item's length and only frames whose centre lies
    inside the item (``t * hop <= length``) are averaged, so padded samples never change the loss
    and a padded item gives the same loss as the item run alone.

    Args:
        sampling_rate: sampling rate (Hz) of the compared audio; sets the mel filter frequencies.
        config: hyper-parameters; ``None`` uses :class:`MelLossConfig` defaults.
    """

    def __init__(self, sampling_rate: int, config: MelLossConfig | None = None) -> None:
        super().__init__()
        if sampling_rate <= 0:
            raise ValueError(f"sampling_rate must be positive, but got {sampling_rate}")
        self.config = config if config is not None else MelLossConfig()
        self.sampling_rate = sampling_rate
        self.spectrograms = nn.ModuleList(
            MelSpectrogram(
                window_length=window_length,
                hop_length=self.config.hop_length(window_length),
                num_mels=num_mels,
                sampling_rate=sampling_rate,
                min_frequency=self.config.mel_min_frequency,
                max_frequency=self.config.mel_max_frequency,
            )
            for window_length, num_mels in zip(self.config.mel_window_lengths, self.config.mel_num_mels)
        )

    def forward(
        self, prediction: torch.Tensor, target: torch.Tensor, padding_mask: torch.Tensor | None = None
    ) -> torch.Tensor:
        """
        Args:
            prediction: generated audio, ``(batch_size, 1, samples)``.
            target: reference audio, ``(batch_size, 1, samples)``.
            padding_mask: optional ``(batch_size, samples)``, 1 on real samples, 0 on padding.

        Returns:
            Scalar loss (float32).
        """
        check_audio_pair(prediction, target, padding_mask)
        batch_size, _, samples = target.shape
        lengths = valid_lengths(padding_mask, batch_size, samples, target.device)  # (batch,)
        # One STFT call for both signals; the loss is computed in fp32 even under autocast.
        audio = torch.cat([mask_padding(prediction, padding_mask), mask_padding(target, padding_mask)])
        audio = audio.squeeze(1).float()  # (2 * batch, samples)
        eps, power = self.config.mel_clamp_eps, self.config.mel_power
        loss = audio.new_zeros(())
        with torch.autocast(device_type=audio.device.type, enabled=False):
            for spectrogram in self.spectrograms:
                mel_prediction, mel_target = spectrogram(audio).chunk(2)  # 2 x (batch, num_mels, frames)
                frames = mel_target.shape[-1]
                centres = torch.arange(frames, device=audio.device) * spectrogram.hop_length  # (frames,)
                frame_weight = (centres.unsqueeze(0) <= lengths.unsqueeze(1)).to(audio.dtype)  # (batch, frames)
                normaliser = frame_weight.sum().clamp_min(1.0) * spectrogram.num_mels
                frame_weight = frame_weight.unsqueeze(1)  # (batch, 1, frames)
                if self.config.mel_log_weight > 0:
                    log_prediction = mel_prediction.clamp_min(eps).pow(power).log10()
                    log_target = mel_target.clamp_min(eps).pow(power).log10()
                    distance = ((log_prediction - log_target).abs() * frame_weight).sum() / normaliser
                    loss = loss + self.config.mel_log_weight * distance
                if self.config.mel_magnitude_weight > 0:
                    distance = ((mel_prediction - mel_target).abs() * frame_weight).sum() / normaliser
                    loss = loss + self.config.mel_magnitude_weight * distance
        return loss
