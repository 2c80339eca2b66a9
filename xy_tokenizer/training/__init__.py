"""Training sub-package (losses, discriminators, adversarial wrapper; trainer and data live beside them).

The trainer-side names (``XYTokenizerTrainer``, the stage wrappers, ``build_trainer``, ``parse_recipe``)
are imported lazily, so that ``import xy_tokenizer.training.losses`` stays light.
"""

import importlib

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

_LAZY = {
    "XYTokenizerTrainer": ".trainer",
    "XYTokenizerForPreTraining": ".pretraining",
    "XYTokenizerForPostTraining": ".posttraining",
    "XYTokenizerTrainingArguments": ".arguments",
    "AudioTextDataset": ".audio_dataset",
    "AudioTextCollator": ".collator",
    "build_trainer": ".build",
    "parse_recipe": ".recipe",
    "initialize_encoders_from_whisper": ".whisper_init",
}


def __getattr__(name):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AudioTextCollator",
    "AudioTextDataset",
    "XYTokenizerForPostTraining",
    "XYTokenizerForPreTraining",
    "XYTokenizerTrainer",
    "XYTokenizerTrainingArguments",
    "build_trainer",
    "initialize_encoders_from_whisper",
    "parse_recipe",
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
