"""Loss weights keyed by the names under which the losses are logged, and their combination.

A weight of 0 means "log only": compute that loss inside :meth:`LossWeights.grad_context` (which is
``torch.no_grad()`` for it) and it is reported but never enters the backward graph (DAC's
``lambdas``, audiocraft's ``info_losses``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

import torch

TOTAL_LOSS_NAME = "loss/total"

# Dataclass field -> logged name. Kept out of field metadata because HfArgumentParser forwards
# metadata to argparse, which rejects unknown keys.
LOSS_NAMES = {
    "lambda_mel": "loss/mel",
    "lambda_adv": "loss/adv",
    "lambda_fm": "loss/fm",
    "lambda_asr": "loss/asr",
    "lambda_commitment": "vq/commitment",
}


@dataclass
class LossWeights:
    """Weights of the generator-side losses (TRAINING.md §2.3, §3.3 proposals).

    Defaults are the stage-1 proposal for mel/ASR/commitment and the HiFi-GAN ratios for the GAN
    terms (absent in stage 1, so unused there); :meth:`post_training` gives the stage-2 set.
    """

    lambda_mel: float = field(default=15.0, metadata={"help": "Weight of loss/mel (multi-scale log-mel L1)."})
    lambda_adv: float = field(default=1.0, metadata={"help": "Weight of loss/adv (generator adversarial loss)."})
    lambda_fm: float = field(default=2.0, metadata={"help": "Weight of loss/fm (discriminator feature matching)."})
    lambda_asr: float = field(default=1.0, metadata={"help": "Weight of loss/asr (LLM cross-entropy, stage 1)."})
    lambda_commitment: float = field(
        default=1.0, metadata={"help": "Weight of vq/commitment (RVQ commitment, mean over stages)."}
    )

    def __post_init__(self) -> None:
        negative = {name: weight for name, weight in self.as_dict().items() if weight < 0}
        if negative:
            raise ValueError(f"Loss weights must be >= 0 (0 = log only), but got {negative}")

    @classmethod
    def pre_training(cls) -> "LossWeights":
        """Stage 1: mel 15, ASR 1, commitment 1; no GAN terms."""
        return cls(lambda_mel=15.0, lambda_adv=0.0, lambda_fm=0.0, lambda_asr=1.0, lambda_commitment=1.0)

    @classmethod
    def post_training(cls) -> "LossWeights":
        """Stage 2: mel 45, feature matching 2, adversarial 1 (HiFi-GAN ratios); no ASR/commitment."""
        return cls(lambda_mel=45.0, lambda_adv=1.0, lambda_fm=2.0, lambda_asr=0.0, lambda_commitment=0.0)

    def as_dict(self) -> dict[str, float]:
        """``{logged name: weight}``, e.g. ``{"loss/mel": 15.0, ...}``."""
        return {LOSS_NAMES[f.name]: float(getattr(self, f.name)) for f in fields(self)}

    def __getitem__(self, name: str) -> float:
        weights = self.as_dict()
        if name not in weights:
            raise KeyError(f"No weight for loss {name!r}; known names: {sorted(weights)}")
        return weights[name]

    def grad_context(self, name: str) -> contextlib.AbstractContextManager:
        """``torch.no_grad()`` if the weight of ``name`` is 0 (log only), else a no-op context."""
        return grad_context(self.as_dict(), name)


def grad_context(weights: Mapping[str, float], name: str) -> contextlib.AbstractContextManager:
    """``torch.no_grad()`` if ``weights[name] == 0``, else a no-op context."""
    if name not in weights:
        raise ValueError(f"No weight for loss {name!r}; known names: {sorted(weights)}")
    return torch.no_grad() if weights[name] == 0 else contextlib.nullcontext()


def combine_losses(
    losses: Mapping[str, torch.Tensor], weights: LossWeights | Mapping[str, float]
) -> tuple[torch.Tensor, dict[str, float]]:
    """Weighted sum of named scalar losses, plus what to log.

    Args:
        losses: ``{logged name: scalar tensor}``; every name needs a weight.
        weights: a :class:`LossWeights` or a ``{logged name: weight}`` mapping.

    Returns:
        ``(total, logs)``: ``total`` is the scalar ``sum(weight * loss)`` over non-zero weights (zero
        weights are left out entirely, so they add no graph even if computed with grad);
        ``logs`` maps every name, and ``"loss/total"``, to a detached Python float.
    """
    mapping = weights.as_dict() if isinstance(weights, LossWeights) else dict(weights)
    if not losses:
        raise ValueError("Expected at least one loss to combine, but got none")
    unknown = sorted(name for name in losses if name not in mapping)
    if unknown:
        raise ValueError(f"No weight for losses {unknown}; known names: {sorted(mapping)}")
    total: torch.Tensor | None = None
    logs: dict[str, float] = {}
    for name, value in losses.items():
        if not isinstance(value, torch.Tensor) or value.dim() != 0:
            raise ValueError(f"Loss {name!r} must be a scalar tensor, but got {getattr(value, 'shape', type(value))}")
        weight = mapping[name]
        if weight < 0:
            raise ValueError(f"Weight of {name!r} must be >= 0, but got {weight}")
        logs[name] = value.detach().float().item()
        if weight != 0:
            total = weight * value if total is None else total + weight * value
    if total is None:
        first = next(iter(losses.values()))
        total = torch.zeros((), dtype=first.dtype, device=first.device)
    logs[TOTAL_LOSS_NAME] = total.detach().float().item()
    return total, logs
