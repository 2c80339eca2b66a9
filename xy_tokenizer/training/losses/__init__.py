"""Training losses: multi-scale mel reconstruction, GAN terms, and their weighting."""

from .gan import (
    DiscriminatorAdversarialLoss,
    FeatureMatchingLoss,
    GeneratorAdversarialLoss,
    feature_matching_distance,
    hinge_discriminator_loss,
    hinge_generator_loss,
    lsgan_discriminator_loss,
    lsgan_generator_loss,
)
from .mel import MelLossConfig, MelSpectrogram, MultiScaleMelLoss
from .mel_filters import mel_filter_bank
from .weights import LOSS_NAMES, TOTAL_LOSS_NAME, LossWeights, combine_losses, grad_context

__all__ = [
    "LOSS_NAMES",
    "TOTAL_LOSS_NAME",
    "DiscriminatorAdversarialLoss",
    "FeatureMatchingLoss",
    "GeneratorAdversarialLoss",
    "LossWeights",
    "MelLossConfig",
    "MelSpectrogram",
    "MultiScaleMelLoss",
    "combine_losses",
    "feature_matching_distance",
    "grad_context",
    "hinge_discriminator_loss",
    "hinge_generator_loss",
    "lsgan_discriminator_loss",
    "lsgan_generator_loss",
    "mel_filter_bank",
]
