"""Stage 1 ("X"): the codec trained on multi-scale mel reconstruction + LLM ASR + RVQ commitment.

Trainable: everything but the semantic encoder (frozen, eval) and the LLM (frozen, eval); the LLM
adapter is new and trainable. No discriminator (TRAINING.md §2).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping

import torch

from ..modeling_xy_tokenizer import XYTokenizerModel
from .llm_branch import LLMTranscriptionLoss
from .losses import MultiScaleMelLoss, grad_context
from .wrapper_base import STAGE1_FROZEN, CodecTrainingWrapper

MEL, ASR, COMMITMENT = "loss/mel", "loss/asr", "vq/commitment"


def reconstruction_target(
    input_values: torch.Tensor, target_values: torch.Tensor | None, output_samples: int
) -> torch.Tensor:
    """The audio the decoder output is compared with, ``(batch, 1, output_samples)``.

    ``target_values`` (at the decoder rate) when given, else the input itself (16 kHz decoders)."""
    target = target_values if target_values is not None else input_values
    if target.dim() == 2:
        target = target[:, None, :]
    if target.shape[-1] < output_samples:
        raise ValueError(
            f"The reconstruction target has {target.shape[-1]} samples but the decoder wrote {output_samples}; "
            "a 24/32 kHz decoder needs target_values at its rate"
        )
    return target[..., :output_samples]


class XYTokenizerForPreTraining(CodecTrainingWrapper):
    """Stage-1 wrapper; ``forward`` returns the unweighted loss terms.

    Args:
        codec: the codec (semantic encoder initialised from Whisper, frozen here).
        mel_loss: multi-scale mel loss at the decoder's output rate.
        weights: ``{logged name: weight}``; a 0 weight computes that term without gradient (log only).
        transcription: the LLM branch, or None (no ASR loss).
        adapter_input: ``quantized`` (zq), ``post_rvq_adapter`` or ``code_sum`` — what the LLM adapter reads.
    """

    def __init__(
        self,
        codec: XYTokenizerModel,
        mel_loss: MultiScaleMelLoss,
        weights: Mapping[str, float],
        transcription: LLMTranscriptionLoss | None = None,
        adapter_input: str = "quantized",
    ) -> None:
        extra = (transcription.llm,) if transcription is not None else ()
        super().__init__(codec, STAGE1_FROZEN, extra_frozen=extra)
        self.mel_loss = mel_loss
        self.transcription = transcription
        self.weights = dict(weights)
        self.adapter_input = adapter_input
        if transcription is not None and self.weights.get(ASR, 0.0) == 0.0:
            # Log only: the adapter gets no gradient, and DDP must not wait for one.
            transcription.adapter.requires_grad_(False)

    @contextlib.contextmanager
    def _capture_adapter_input(self) -> Iterator[dict]:
        """Capture the codec tensor the LLM adapter reads (``(batch, channels, frames)``) during a forward."""
        captured: dict = {}
        handle = None
        if self.adapter_input == "post_rvq_adapter":
            handle = self.codec.post_rvq_adapter.register_forward_hook(
                lambda module, args, output: captured.setdefault("features", output[0])
            )
        elif self.adapter_input == "code_sum":
            handle = self.codec.quantizer.output_proj.register_forward_pre_hook(
                lambda module, args: captured.setdefault("features", args[0])
            )
        try:
            yield captured
        finally:
            if handle is not None:
                handle.remove()

    def forward(
        self,
        input_values: torch.Tensor,
        padding_mask: torch.Tensor,
        target_values: torch.Tensor | None = None,
        transcript_ids: torch.Tensor | None = None,
        transcript_mask: torch.Tensor | None = None,
    ) -> dict:
        """
        Args:
            input_values: ``(batch, 1, samples)`` 16 kHz audio, every item a whole number of code frames.
            padding_mask: ``(batch, samples)``, 1 on real samples.
            target_values: ``(batch, 1, output_samples)`` target at the decoder rate (only if it differs).
            transcript_ids / transcript_mask: ``(batch, tokens)`` (see ``AudioTextCollator``).

        Returns:
            ``{"losses": {name: scalar}, "audio_values": (batch, 1, out), "target_values": (batch, 1, out),
            "padding_mask": (batch, out), "commitment_per_stage": (num_quantizers,)}``.
        """
        with self._capture_adapter_input() as captured:
            output = self.codec(input_values=input_values, padding_mask=padding_mask)
        audio = output.audio_values
        target = reconstruction_target(input_values, target_values, audio.shape[-1])
        losses = {COMMITMENT: output.commitment_loss}
        with grad_context(self.weights, MEL):
            losses[MEL] = self.mel_loss(audio, target, output.padding_mask)
        if self.transcription is not None and transcript_ids is not None:
            features = captured.get("features", output.quantized_representation)
            lengths = output.audio_codes_mask.sum(-1)
            with grad_context(self.weights, ASR):
                losses[ASR] = self.transcription(features, lengths, transcript_ids, transcript_mask)
        return {
            "losses": losses,
            "audio_values": audio,
            "target_values": target,
            "padding_mask": output.padding_mask,
            "commitment_per_stage": output.commitment_loss_per_stage,
        }
