"""Input checks and padding handling shared by the training losses.

Convention (as in transformers' audio models): ``padding_mask`` is ``(batch_size, samples)`` with
1/True on real samples and 0/False on padding.

How padding is excluded: every loss zeroes *both* the prediction and the target beyond each item's
length before looking at them. Padded samples then cannot influence the loss (whatever the
generator writes into the tail, and whatever the collator padded the target with), and the tail of
prediction and target is identical, so it adds no difference of its own.
"""

from __future__ import annotations

import torch


def check_audio(audio: torch.Tensor, name: str = "audio") -> None:
    """Raise ``ValueError`` unless ``audio`` is a floating-point ``(batch_size, 1, samples)`` tensor."""
    if not isinstance(audio, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, but got {type(audio).__name__}")
    if audio.dim() != 3 or audio.shape[1] != 1:
        raise ValueError(f"{name} must be mono audio of shape (batch_size, 1, samples), but got {tuple(audio.shape)}")
    if not audio.is_floating_point():
        raise ValueError(f"{name} must be a floating-point tensor, but got dtype {audio.dtype}")
    if audio.shape[-1] == 0:
        raise ValueError(f"{name} must contain at least one sample, but got shape {tuple(audio.shape)}")


def check_audio_pair(
    prediction: torch.Tensor, target: torch.Tensor, padding_mask: torch.Tensor | None = None
) -> None:
    """Check a (prediction, target[, padding_mask]) triple.

    Args:
        prediction: generated audio, ``(batch_size, 1, samples)``.
        target: reference audio, ``(batch_size, 1, samples)``.
        padding_mask: optional ``(batch_size, samples)``, 1 on real samples.
    """
    check_audio(prediction, "prediction")
    check_audio(target, "target")
    if prediction.shape != target.shape:
        # A vocoder can be a few samples off; cropping is the caller's decision, not the loss's.
        raise ValueError(
            f"prediction and target must have the same shape, but got {tuple(prediction.shape)} and "
            f"{tuple(target.shape)}; crop or pad them first"
        )
    if padding_mask is not None:
        check_padding_mask(padding_mask, batch_size=target.shape[0], samples=target.shape[-1])


def check_padding_mask(padding_mask: torch.Tensor, batch_size: int, samples: int) -> None:
    """Raise ``ValueError`` unless ``padding_mask`` is ``(batch_size, samples)``."""
    if not isinstance(padding_mask, torch.Tensor):
        raise TypeError(f"padding_mask must be a torch.Tensor, but got {type(padding_mask).__name__}")
    if tuple(padding_mask.shape) != (batch_size, samples):
        raise ValueError(
            f"padding_mask must have shape (batch_size, samples) = {(batch_size, samples)}, "
            f"but got {tuple(padding_mask.shape)}"
        )


def mask_padding(audio: torch.Tensor, padding_mask: torch.Tensor | None) -> torch.Tensor:
    """Zero the padded samples of ``audio``.

    Args:
        audio: ``(batch_size, 1, samples)``.
        padding_mask: ``(batch_size, samples)``, 1 on real samples; ``None`` returns ``audio`` unchanged.

    Returns:
        ``(batch_size, 1, samples)``, same dtype as ``audio``.
    """
    if padding_mask is None:
        return audio
    # torch.where (not a product) so that NaN/inf written into the tail cannot leak into the loss.
    keep = padding_mask.to(torch.bool).unsqueeze(1)  # (batch, 1, samples)
    return torch.where(keep, audio, torch.zeros((), dtype=audio.dtype, device=audio.device))


def valid_lengths(
    padding_mask: torch.Tensor | None, batch_size: int, samples: int, device: torch.device
) -> torch.Tensor:
    """Number of real samples per item, ``(batch_size,)`` int64.

    Counts the ones of the mask, so a mask is expected to be right-padded (ones then zeros).
    """
    if padding_mask is None:
        return torch.full((batch_size,), samples, dtype=torch.long, device=device)
    return padding_mask.to(torch.bool).sum(dim=-1).to(device=device, dtype=torch.long)
