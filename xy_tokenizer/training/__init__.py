"""Training sub-package (losses, discriminators, adversarial wrapper; trainer and data live beside them)."""

from .adversarial import AdversarialLoss
from .discriminators import (
    CombinedDiscriminator,
    DiscriminatorConfig,
    MultiPeriodDiscriminator,
    MultiResolutionSTFTDiscriminator,
    MultiScaleDiscriminator,
)
from .losses import (
    DiscriminatorAdversarialLoss,
    FeatureMatchingLoss,
    GeneratorAdversarialLoss,
    LossWeights,
    MelLossConfig,
    MultiScaleMelLoss,
    combine_losses,
)

__all__ = [
    "AdversarialLoss",
    "CombinedDiscriminator",
    "DiscriminatorAdversarialLoss",
    "DiscriminatorConfig",
    "FeatureMatchingLoss",
    "GeneratorAdversarialLoss",
    "LossWeights",
    "MelLossConfig",
    "MultiPeriodDiscriminator",
    "MultiResolutionSTFTDiscriminator",
    "MultiScaleDiscriminator",
    "MultiScaleMelLoss",
    "combine_losses",
]
