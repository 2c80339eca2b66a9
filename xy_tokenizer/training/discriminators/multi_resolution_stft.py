"""Multi-resolution, multi-band complex-STFT discriminator (Vocos ``MultiResolutionDiscriminator``,
DAC ``MRD``), with FFT sizes scaled to the sampling rate."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.parametrizations import weight_norm

from .base import Discriminator, DiscriminatorOutput
from .config import DiscriminatorConfig

# Added to the peak before dividing, so silent clips stay finite.
_PEAK_EPS = 1e-9
# Vocos/DAC normalise the peak to 0.8 rather than 1.0, leaving headroom like typical training audio.
_PEAK_TARGET = 0.8


class ResolutionDiscriminator(nn.Module):
    """Convs over the real/imaginary STFT of one resolution, with separate weights per frequency band.

    With ``stft_normalize_volume`` the removed DC offset is the mean over all samples, zero-padded
    tail included, so it is slightly diluted for padded clips — in the same way for the real and
    the fake clip of a pair.

    Args:
        config: sizes (``stft_*`` fields, ``leaky_relu_slope``).
        n_fft: FFT and window size in samples (already scaled to the sampling rate).
    """

    def __init__(self, config: DiscriminatorConfig, n_fft: int) -> None:
        super().__init__()
        self.n_fft = n_fft
        self.hop_length = max(1, int(n_fft * config.stft_hop_fraction))
        self.normalize_volume = config.stft_normalize_volume
        self.slope = config.leaky_relu_slope
        self.register_buffer("window", torch.hann_window(n_fft), persistent=False)
        bins = n_fft // 2 + 1
        edges = [int(edge * bins) for edge in config.stft_band_edges]
        self.bands = list(zip(edges[:-1], edges[1:]))
        if any(end <= start for start, end in self.bands):
            raise ValueError(
                f"n_fft={n_fft} gives {bins} frequency bins, too few for stft_band_edges={config.stft_band_edges} "
                f"(empty band in {self.bands}); use a larger FFT size or fewer bands"
            )
        self.band_convs = nn.ModuleList(self._band_stack(config) for _ in self.bands)
        post = config.stft_post_kernel_size
        self.conv_post = weight_norm(nn.Conv2d(config.stft_channels, 1, post, 1, padding=post // 2))

    @staticmethod
    def _band_stack(config: DiscriminatorConfig) -> nn.ModuleList:
        channels, kernel, post = config.stft_channels, tuple(config.stft_kernel_size), config.stft_post_kernel_size
        padding = (kernel[0] // 2, kernel[1] // 2)
        layers = [nn.Conv2d(2, channels, kernel, 1, padding=padding)]
        # Strided along frequency only: time resolution is what the generator must get right.
        strided = config.stft_num_strided_layers
        layers += [nn.Conv2d(channels, channels, kernel, (1, 2), padding=padding) for _ in range(strided)]
        layers.append(nn.Conv2d(channels, channels, post, 1, padding=post // 2))
        return nn.ModuleList(weight_norm(layer) for layer in layers)

    def spectrogram(self, audio: torch.Tensor) -> torch.Tensor:
        """
        Args:
            audio: ``(batch_size, 1, samples)``.

        Returns:
            ``(batch_size, 2, frames, n_fft // 2 + 1)``: real and imaginary parts as channels.
        """
        x = audio.squeeze(1).float()  # (batch, samples)
        if self.normalize_volume:
            # The discriminator should judge timbre, not loudness (the mel loss handles level).
            x = x - x.mean(dim=-1, keepdim=True)
            x = _PEAK_TARGET * x / (x.abs().amax(dim=-1, keepdim=True) + _PEAK_EPS)
        # Zero (not reflect) centre padding: valid for clips shorter than half a window.
        spectrum = torch.stft(
            x, self.n_fft, self.hop_length, window=self.window, center=True, pad_mode="constant", return_complex=True
        )  # (batch, bins, frames)
        return torch.view_as_real(spectrum).permute(0, 3, 2, 1)  # (batch, 2, frames, bins)

    def forward(self, audio: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """
        Args:
            audio: ``(batch_size, 1, samples)``.

        Returns:
            logits ``(batch_size, frames * reduced_bins)`` and feature maps
            ``(batch_size, channels, frames, band_bins_l)``.
        """
        spectrum = self.spectrogram(audio)
        features, band_outputs = [], []
        for (start, end), stack in zip(self.bands, self.band_convs):
            x = spectrum[..., start:end]  # (batch, 2, frames, band_bins)
            for conv in stack:
                x = F.leaky_relu(conv(x), self.slope)
                features.append(x)
            band_outputs.append(x)
        x = torch.cat(band_outputs, dim=-1)  # (batch, channels, frames, sum of reduced band bins)
        logits = self.conv_post(x).flatten(1)
        return logits, features


class MultiResolutionSTFTDiscriminator(Discriminator):
    """One :class:`ResolutionDiscriminator` per FFT size of ``config.scaled_fft_sizes(sampling_rate)``
    (2048/1024/512 at 16 kHz, 3072/1536/768 at 24 kHz, 4096/2048/1024 at 32 kHz).

    Args:
        config: discriminator hyper-parameters.
        sampling_rate: rate (Hz) of the audio it will see.
    """

    def __init__(self, config: DiscriminatorConfig, sampling_rate: int) -> None:
        super().__init__()
        if sampling_rate <= 0:
            raise ValueError(f"sampling_rate must be positive, but got {sampling_rate}")
        self.fft_sizes = config.scaled_fft_sizes(sampling_rate)
        self.discriminators = nn.ModuleList(ResolutionDiscriminator(config, n_fft) for n_fft in self.fft_sizes)

    def discriminate(self, audio: torch.Tensor) -> DiscriminatorOutput:
        logits, features = [], []
        for discriminator in self.discriminators:
            resolution_logits, resolution_features = discriminator(audio)
            logits.append(resolution_logits)
            features.append(resolution_features)
        return logits, features
