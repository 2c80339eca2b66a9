"""The one discriminator contract shared by every discriminator and the adversarial losses.

``forward(audio: (batch_size, 1, samples)) -> (logits, features)`` where a discriminator made of
``K`` sub-discriminators returns ``K`` logits tensors and ``K`` lists of feature maps, in the same
order. Multi-discriminators therefore compose by list concatenation (:class:`CombinedDiscriminator`).
"""

from __future__ import annotations

import torch
from torch import nn

from ..padding import check_audio

DiscriminatorLogits = list[torch.Tensor]
"""One ``(batch_size, num_logits_k)`` tensor per sub-discriminator ``k``."""

DiscriminatorFeatures = list[list[torch.Tensor]]
"""Per sub-discriminator, its intermediate activations (batch first; the logits are not included)."""

DiscriminatorOutput = tuple[DiscriminatorLogits, DiscriminatorFeatures]


class Discriminator(nn.Module):
    """Base class: subclasses implement :meth:`discriminate`; :meth:`forward` checks the input."""

    def forward(self, audio: torch.Tensor) -> DiscriminatorOutput:
        """
        Args:
            audio: ``(batch_size, 1, samples)``.

        Returns:
            ``(logits, features)``: ``logits[k]`` is ``(batch_size, num_logits_k)``; ``features[k]``
            is the list of feature maps of sub-discriminator ``k``.
        """
        check_audio(audio)
        return self.discriminate(audio)

    def discriminate(self, audio: torch.Tensor) -> DiscriminatorOutput:
        """Same as :meth:`forward`, on an already checked ``(batch_size, 1, samples)`` tensor."""
        raise NotImplementedError
