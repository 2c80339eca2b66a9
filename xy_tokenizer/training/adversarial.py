"""The adversarial wrapper: owns the discriminators and computes both sides of the GAN loss.

Owning the discriminators here means they checkpoint as one object (``state_dict`` of this
module) and the trainer only sees two calls per step (audiocraft ``adversarial/losses.py``)::

    d_loss = adversarial.discriminator_loss(real, fake, padding_mask)     # fake is detached inside
    d_loss.backward(); d_optimizer.step()
    g_terms = adversarial.generator_losses(real, fake, padding_mask)      # {"loss/adv", "loss/fm"}

The discriminator optimizer is left to the trainer.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import torch
from torch import nn

from .discriminators.combined import CombinedDiscriminator
from .discriminators.config import DiscriminatorConfig
from .losses.gan import DiscriminatorAdversarialLoss, FeatureMatchingLoss, GeneratorAdversarialLoss
from .padding import check_audio_pair, mask_padding

ADVERSARIAL_LOSS_NAME = "loss/adv"
FEATURE_MATCHING_LOSS_NAME = "loss/fm"


@contextlib.contextmanager
def frozen_parameters(module: nn.Module) -> Iterator[None]:
    """Temporarily set ``requires_grad=False`` on all parameters of ``module`` (restored on exit).

    Used for the generator step: gradients still flow *through* the discriminator to the fake
    audio, but none are computed for (or accumulated into) the discriminator's own weights.
    """
    flags = [(parameter, parameter.requires_grad) for parameter in module.parameters()]
    try:
        for parameter, _ in flags:
            parameter.requires_grad_(False)
        yield
    finally:
        for parameter, flag in flags:
            parameter.requires_grad_(flag)


class AdversarialLoss(nn.Module):
    """Discriminators of ``config.discriminators`` plus the GAN and feature-matching losses.

    Padding: with a ``padding_mask``, real and fake audio are both zeroed beyond each item's length
    before the discriminators see them, so padded samples cannot change any loss. The zero tails
    still produce logits/feature positions (identical for real and fake), which only dilute the
    means; crops of similar lengths keep that effect small.

    Args:
        config: discriminator architectures and the GAN loss formulation.
        sampling_rate: rate (Hz) of the audio being judged (the decoder's output rate).
    """

    def __init__(self, config: DiscriminatorConfig, sampling_rate: int) -> None:
        super().__init__()
        self.config = config
        self.sampling_rate = sampling_rate
        self.discriminator = CombinedDiscriminator(config, sampling_rate)
        reduction = config.sub_discriminator_reduction
        self.discriminator_adversarial_loss = DiscriminatorAdversarialLoss(config.adversarial_loss, reduction)
        self.generator_adversarial_loss = GeneratorAdversarialLoss(config.adversarial_loss, reduction)
        self.feature_matching_loss = FeatureMatchingLoss(reduction)

    def discriminator_loss(
        self, real: torch.Tensor, fake: torch.Tensor, padding_mask: torch.Tensor | None = None
    ) -> torch.Tensor:
        """Loss to minimise w.r.t. the discriminators. ``fake`` is detached: no generator gradient.

        Args:
            real: reference audio, ``(batch_size, 1, samples)``.
            fake: generated audio, ``(batch_size, 1, samples)``.
            padding_mask: optional ``(batch_size, samples)``, 1 on real samples.

        Returns:
            Scalar loss.
        """
        check_audio_pair(fake, real, padding_mask)
        batch_size = real.shape[0]
        audio = torch.cat([mask_padding(real, padding_mask), mask_padding(fake.detach(), padding_mask)])
        # One pass over real and fake together (batch 2B); the discriminators are batch-independent.
        logits, _ = self.discriminator(audio)
        real_logits = [item[:batch_size] for item in logits]
        fake_logits = [item[batch_size:] for item in logits]
        return self.discriminator_adversarial_loss(real_logits, fake_logits)

    def generator_losses(
        self, real: torch.Tensor, fake: torch.Tensor, padding_mask: torch.Tensor | None = None
    ) -> dict[str, torch.Tensor]:
        """Generator-side terms; gradients reach ``fake`` but not the discriminator weights.

        Args:
            real: reference audio, ``(batch_size, 1, samples)``.
            fake: generated audio, ``(batch_size, 1, samples)``.
            padding_mask: optional ``(batch_size, samples)``, 1 on real samples.

        Returns:
            ``{"loss/adv": scalar, "loss/fm": scalar}`` (unweighted).
        """
        check_audio_pair(fake, real, padding_mask)
        with frozen_parameters(self.discriminator):
            with torch.no_grad():  # real features are targets only
                _, real_features = self.discriminator(mask_padding(real, padding_mask))
            fake_logits, fake_features = self.discriminator(mask_padding(fake, padding_mask))
        return {
            ADVERSARIAL_LOSS_NAME: self.generator_adversarial_loss(fake_logits),
            FEATURE_MATCHING_LOSS_NAME: self.feature_matching_loss(real_features, fake_features),
        }
