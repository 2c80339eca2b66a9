"""HiFi-GAN multi-scale discriminator (``DiscriminatorS`` / ``MultiScaleDiscriminator``, from MelGAN)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm, weight_norm

from .base import Discriminator, DiscriminatorOutput
from .config import DiscriminatorConfig


class ScaleDiscriminator(nn.Module):
    """Strided, grouped 1-D convs over the waveform at one scale.

    Args:
        config: sizes (``msd_*`` fields, ``leaky_relu_slope``).
        use_spectral_norm: spectral instead of weight normalisation (HiFi-GAN uses it on the raw
            scale, where it stabilised training).
    """

    def __init__(self, config: DiscriminatorConfig, use_spectral_norm: bool = False) -> None:
        super().__init__()
        normalise = spectral_norm if use_spectral_norm else weight_norm
        self.slope = config.leaky_relu_slope
        in_channels = [1, *config.msd_channels[:-1]]
        layers = zip(in_channels, config.msd_channels, config.msd_kernel_sizes, config.msd_strides, config.msd_groups)
        self.convs = nn.ModuleList(
            normalise(nn.Conv1d(c_in, c_out, kernel, stride, padding=kernel // 2, groups=groups))
            for c_in, c_out, kernel, stride, groups in layers
        )
        post_kernel = config.msd_post_kernel_size
        self.conv_post = normalise(nn.Conv1d(config.msd_channels[-1], 1, post_kernel, 1, padding=post_kernel // 2))

    def forward(self, audio: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """
        Args:
            audio: ``(batch_size, 1, samples)``.

        Returns:
            logits ``(batch_size, frames)`` and feature maps ``(batch_size, channels, frames_l)``.
        """
        x, features = audio, []
        for conv in self.convs:
            x = F.leaky_relu(conv(x), self.slope)
            features.append(x)
        logits = self.conv_post(x).flatten(1)  # (batch, frames)
        return logits, features


class MultiScaleDiscriminator(Discriminator):
    """``config.msd_num_scales`` scale discriminators on the audio average-pooled 1x, 2x, 4x, ..."""

    def __init__(self, config: DiscriminatorConfig) -> None:
        super().__init__()
        self.discriminators = nn.ModuleList(
            ScaleDiscriminator(config, use_spectral_norm=config.msd_spectral_norm_first_scale and scale == 0)
            for scale in range(config.msd_num_scales)
        )
        self.pool = nn.AvgPool1d(
            config.msd_pool_kernel_size, config.msd_pool_stride, padding=config.msd_pool_kernel_size // 2
        )

    def discriminate(self, audio: torch.Tensor) -> DiscriminatorOutput:
        logits, features = [], []
        for scale, discriminator in enumerate(self.discriminators):
            if scale > 0:
                audio = self.pool(audio)  # (batch, 1, ~samples / stride)
            scale_logits, scale_features = discriminator(audio)
            logits.append(scale_logits)
            features.append(scale_features)
        return logits, features
