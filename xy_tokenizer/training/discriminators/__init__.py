"""Discriminators for stage-2 (GAN) post-training; all follow the contract in :mod:`.base`."""

from .base import Discriminator, DiscriminatorFeatures, DiscriminatorLogits, DiscriminatorOutput
from .combined import CombinedDiscriminator, build_discriminator
from .config import DiscriminatorConfig
from .multi_period import MultiPeriodDiscriminator, PeriodDiscriminator
from .multi_resolution_stft import MultiResolutionSTFTDiscriminator, ResolutionDiscriminator
from .multi_scale import MultiScaleDiscriminator, ScaleDiscriminator

__all__ = [
    "CombinedDiscriminator",
    "Discriminator",
    "DiscriminatorConfig",
    "DiscriminatorFeatures",
    "DiscriminatorLogits",
    "DiscriminatorOutput",
    "MultiPeriodDiscriminator",
    "MultiResolutionSTFTDiscriminator",
    "MultiScaleDiscriminator",
    "PeriodDiscriminator",
    "ResolutionDiscriminator",
    "ScaleDiscriminator",
    "build_discriminator",
]
