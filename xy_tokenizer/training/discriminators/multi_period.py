"""HiFi-GAN multi-period discriminator (Kong et al. 2020, ``DiscriminatorP`` / ``MultiPeriodDiscriminator``)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.parametrizations import weight_norm

from .base import Discriminator, DiscriminatorOutput
from .config import DiscriminatorConfig


class PeriodDiscriminator(nn.Module):
    """Folds the waveform into ``period`` columns and runs 2-D convs along time only.

    Args:
        config: sizes (``mpd_*`` fields, ``leaky_relu_slope``).
        period: fold period in samples.
    """

    def __init__(self, config: DiscriminatorConfig, period: int) -> None:
        super().__init__()
        self.period = period
        self.slope = config.leaky_relu_slope
        kernel, padding = (config.mpd_kernel_size, 1), (config.mpd_kernel_size // 2, 0)
        in_channels = [1, *config.mpd_channels[:-1]]
        # All but the last conv are strided along time (HiFi-GAN).
        strides = [config.mpd_stride] * (len(config.mpd_channels) - 1) + [1]
        self.convs = nn.ModuleList(
            weight_norm(nn.Conv2d(c_in, c_out, kernel, (stride, 1), padding=padding))
            for c_in, c_out, stride in zip(in_channels, config.mpd_channels, strides)
        )
        post_kernel = config.mpd_post_kernel_size
        self.conv_post = weight_norm(
            nn.Conv2d(config.mpd_channels[-1], 1, (post_kernel, 1), 1, padding=(post_kernel // 2, 0))
        )

    def forward(self, audio: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """
        Args:
            audio: ``(batch_size, 1, samples)`` with ``samples > period``.

        Returns:
            logits ``(batch_size, num_logits)`` and the feature maps ``(batch_size, channels, rows, period)``.
        """
        batch_size, _, samples = audio.shape
        if samples % self.period:
            # Reflect, not zero, padding so the last row does not look artificially silent (HiFi-GAN).
            audio = F.pad(audio, (0, self.period - samples % self.period), mode="reflect")
        x = audio.view(batch_size, 1, -1, self.period)  # (batch, 1, rows, period)
        features = []
        for conv in self.convs:
            x = F.leaky_relu(conv(x), self.slope)
            features.append(x)
        logits = self.conv_post(x).flatten(1)  # (batch, rows' * period)
        return logits, features


class MultiPeriodDiscriminator(Discriminator):
    """One :class:`PeriodDiscriminator` per period in ``config.mpd_periods`` (default 2, 3, 5, 7, 11)."""

    def __init__(self, config: DiscriminatorConfig) -> None:
        super().__init__()
        self.periods = list(config.mpd_periods)
        self.discriminators = nn.ModuleList(PeriodDiscriminator(config, period) for period in self.periods)

    def discriminate(self, audio: torch.Tensor) -> DiscriminatorOutput:
        if audio.shape[-1] <= max(self.periods):
            raise ValueError(
                f"MultiPeriodDiscriminator needs more samples than its largest period ({max(self.periods)}), "
                f"but got {audio.shape[-1]}"
            )
        logits, features = [], []
        for discriminator in self.discriminators:
            period_logits, period_features = discriminator(audio)
            logits.append(period_logits)
            features.append(period_features)
        return logits, features
