"""GAN losses over the outputs of the discriminator contract (hinge and least-squares) and
feature matching. Each sub-discriminator contributes one term; terms are summed (HiFi-GAN, DAC)
or averaged (Vocos) over sub-discriminators according to ``reduction``."""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from ..discriminators.base import DiscriminatorFeatures, DiscriminatorLogits
from ..discriminators.config import ADVERSARIAL_LOSS_TYPES, SUB_DISCRIMINATOR_REDUCTIONS


def hinge_discriminator_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """``mean(relu(1 - D(real))) + mean(relu(1 + D(fake)))``; logits of any (matching-batch) shape."""
    return F.relu(1.0 - real_logits).mean() + F.relu(1.0 + fake_logits).mean()


def hinge_generator_loss(fake_logits: torch.Tensor) -> torch.Tensor:
    """``mean(relu(1 - D(fake)))`` — the Vocos form; it stops pushing once a fake scores above 1."""
    return F.relu(1.0 - fake_logits).mean()


def lsgan_discriminator_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """``mean((1 - D(real))^2) + mean(D(fake)^2)`` (HiFi-GAN)."""
    return (1.0 - real_logits).pow(2).mean() + fake_logits.pow(2).mean()


def lsgan_generator_loss(fake_logits: torch.Tensor) -> torch.Tensor:
    """``mean((1 - D(fake))^2)`` (HiFi-GAN)."""
    return (1.0 - fake_logits).pow(2).mean()


def feature_matching_distance(
    real_features: Sequence[torch.Tensor], fake_features: Sequence[torch.Tensor]
) -> torch.Tensor:
    """Sum over layers of ``mean(|real - fake|)``; the real maps are detached (they are targets)."""
    if len(real_features) != len(fake_features) or not real_features:
        raise ValueError(
            "Expected the same, non-zero number of real and fake feature maps, "
            f"but got {len(real_features)} and {len(fake_features)}"
        )
    return sum((real.detach() - fake).abs().mean() for real, fake in zip(real_features, fake_features))


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {choices}, but got {value!r}")


def _reduce(terms: list[torch.Tensor], reduction: str) -> torch.Tensor:
    total = torch.stack(terms).sum()
    return total / len(terms) if reduction == "mean" else total


def _check_same_count(real: Sequence, fake: Sequence, what: str) -> None:
    if len(real) != len(fake) or not real:
        raise ValueError(
            f"Expected the same, non-zero number of real and fake {what} (one per sub-discriminator), "
            f"but got {len(real)} and {len(fake)}"
        )


class DiscriminatorAdversarialLoss(nn.Module):
    """Discriminator side of the GAN loss.

    Args:
        loss_type: ``"hinge"`` or ``"lsgan"``.
        reduction: ``"sum"`` or ``"mean"`` over sub-discriminators.
    """

    def __init__(self, loss_type: str = "hinge", reduction: str = "sum") -> None:
        super().__init__()
        _check_choice("loss_type", loss_type, ADVERSARIAL_LOSS_TYPES)
        _check_choice("reduction", reduction, SUB_DISCRIMINATOR_REDUCTIONS)
        self.loss_type, self.reduction = loss_type, reduction
        self.term = hinge_discriminator_loss if loss_type == "hinge" else lsgan_discriminator_loss

    def forward(self, real_logits: DiscriminatorLogits, fake_logits: DiscriminatorLogits) -> torch.Tensor:
        """
        Args:
            real_logits: per sub-discriminator, ``(batch_size, num_logits_k)`` on real audio.
            fake_logits: the same on generated audio.

        Returns:
            Scalar loss.
        """
        _check_same_count(real_logits, fake_logits, "logits")
        return _reduce([self.term(real, fake) for real, fake in zip(real_logits, fake_logits)], self.reduction)


class GeneratorAdversarialLoss(nn.Module):
    """Generator side of the GAN loss.

    Args:
        loss_type: ``"hinge"`` or ``"lsgan"``.
        reduction: ``"sum"`` or ``"mean"`` over sub-discriminators.
    """

    def __init__(self, loss_type: str = "hinge", reduction: str = "sum") -> None:
        super().__init__()
        _check_choice("loss_type", loss_type, ADVERSARIAL_LOSS_TYPES)
        _check_choice("reduction", reduction, SUB_DISCRIMINATOR_REDUCTIONS)
        self.loss_type, self.reduction = loss_type, reduction
        self.term = hinge_generator_loss if loss_type == "hinge" else lsgan_generator_loss

    def forward(self, fake_logits: DiscriminatorLogits) -> torch.Tensor:
        """
        Args:
            fake_logits: per sub-discriminator, ``(batch_size, num_logits_k)`` on generated audio.

        Returns:
            Scalar loss.
        """
        if not fake_logits:
            raise ValueError("Expected at least one logits tensor, but got an empty list")
        return _reduce([self.term(fake) for fake in fake_logits], self.reduction)


class FeatureMatchingLoss(nn.Module):
    """L1 between discriminator feature maps of real and generated audio (HiFi-GAN / MelGAN).

    Per sub-discriminator: sum over its layers of the mean absolute difference; then ``reduction``
    over sub-discriminators. Real features are detached.

    Args:
        reduction: ``"sum"`` or ``"mean"`` over sub-discriminators.
    """

    def __init__(self, reduction: str = "sum") -> None:
        super().__init__()
        _check_choice("reduction", reduction, SUB_DISCRIMINATOR_REDUCTIONS)
        self.reduction = reduction

    def forward(self, real_features: DiscriminatorFeatures, fake_features: DiscriminatorFeatures) -> torch.Tensor:
        """
        Args:
            real_features: per sub-discriminator, its list of feature maps on real audio.
            fake_features: the same on generated audio (same shapes).

        Returns:
            Scalar loss.
        """
        _check_same_count(real_features, fake_features, "feature lists")
        terms = [feature_matching_distance(real, fake) for real, fake in zip(real_features, fake_features)]
        return _reduce(terms, self.reduction)
