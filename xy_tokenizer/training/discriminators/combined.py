"""Several discriminators behind the one contract: their outputs are concatenated."""

from __future__ import annotations

import torch
from torch import nn

from .base import Discriminator, DiscriminatorOutput
from .config import DiscriminatorConfig
from .multi_period import MultiPeriodDiscriminator
from .multi_resolution_stft import MultiResolutionSTFTDiscriminator
from .multi_scale import MultiScaleDiscriminator


def build_discriminator(name: str, config: DiscriminatorConfig, sampling_rate: int) -> Discriminator:
    """Build the discriminator called ``name`` (one of ``config.discriminators``' allowed names)."""
    if name == "multi_period":
        return MultiPeriodDiscriminator(config)
    if name == "multi_resolution_stft":
        return MultiResolutionSTFTDiscriminator(config, sampling_rate)
    if name == "multi_scale":
        return MultiScaleDiscriminator(config)
    raise ValueError(f"Unknown discriminator {name!r}; expected multi_period, multi_resolution_stft or multi_scale")


class CombinedDiscriminator(Discriminator):
    """The discriminators named in ``config.discriminators``, run in that order.

    Sub-modules are keyed by name (``discriminators.multi_period...``) so checkpoints stay readable
    and do not depend on list positions.

    Args:
        config: discriminator hyper-parameters.
        sampling_rate: rate (Hz) of the audio the discriminators will see.
    """

    def __init__(self, config: DiscriminatorConfig, sampling_rate: int) -> None:
        super().__init__()
        self.discriminators = nn.ModuleDict(
            {name: build_discriminator(name, config, sampling_rate) for name in config.discriminators}
        )

    def discriminate(self, audio: torch.Tensor) -> DiscriminatorOutput:
        logits, features = [], []
        for discriminator in self.discriminators.values():
            sub_logits, sub_features = discriminator.discriminate(audio)
            logits.extend(sub_logits)
            features.extend(sub_features)
        return logits, features
