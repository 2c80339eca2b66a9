"""Stage 2 ("Y"): the decoder trained against discriminators on frozen codes.

The encoder side and the quantizer are frozen (and in eval mode, so the EMA codebooks cannot drift):
the codes are computed without gradient by ``encode`` and decoded with gradient by ``decode``. The LLM
branch is gone. The adversarial terms need the discriminators, which live in the trainer (they have
their own optimizer and their own DDP wrapper); this module returns the generated and target audio
and the mel loss.
"""

from __future__ import annotations

from collections.abc import Mapping

import torch

from ..modeling_xy_tokenizer import XYTokenizerModel
from .losses import MultiScaleMelLoss, grad_context
from .pretraining import MEL, reconstruction_target
from .wrapper_base import STAGE2_FROZEN, CodecTrainingWrapper


class XYTokenizerForPostTraining(CodecTrainingWrapper):
    """Stage-2 wrapper.

    Args:
        codec: the stage-1 codec.
        mel_loss: multi-scale mel loss at the decoder's output rate.
        weights: ``{logged name: weight}`` (a 0 weight: log only).
        train_post_rvq_adapter: train ``post_rvq_adapter`` with the decoder (else it is frozen too).
    """

    def __init__(
        self,
        codec: XYTokenizerModel,
        mel_loss: MultiScaleMelLoss,
        weights: Mapping[str, float],
        train_post_rvq_adapter: bool = True,
    ) -> None:
        frozen = STAGE2_FROZEN if train_post_rvq_adapter else (*STAGE2_FROZEN, "post_rvq_adapter")
        super().__init__(codec, frozen)
        self.mel_loss = mel_loss
        self.weights = dict(weights)

    def forward(
        self, input_values: torch.Tensor, padding_mask: torch.Tensor, target_values: torch.Tensor | None = None
    ) -> dict:
        """
        Args:
            input_values: ``(batch, 1, samples)`` 16 kHz audio, whole code frames.
            padding_mask: ``(batch, samples)``, 1 on real samples.
            target_values: ``(batch, 1, output_samples)`` at the decoder rate (only if it differs).

        Returns:
            ``{"losses": {"loss/mel": scalar}, "audio_values": (batch, 1, out), "target_values": (batch, 1, out),
            "padding_mask": (batch, out)}``.
        """
        with torch.no_grad():
            encoded = self.codec.encode(input_values, padding_mask)
        decoded = self.codec.decode(encoded.audio_codes, encoded.audio_codes_mask)
        audio = decoded.audio_values
        target = reconstruction_target(input_values, target_values, audio.shape[-1])
        with grad_context(self.weights, MEL):
            mel = self.mel_loss(audio, target, decoded.padding_mask)
        return {
            "losses": {MEL: mel},
            "audio_values": audio,
            "target_values": target,
            "padding_mask": decoded.padding_mask,
        }
