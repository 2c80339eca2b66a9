"""A cheap check, at every checkpoint of a multi-process run, that all ranks hold the same weights.

DDP keeps parameters in sync through identical updates; the RVQ codebooks are buffers kept in sync by
the quantizer's own all-reduces and broadcasts. A silent divergence (e.g. a rank-dependent dead-code
re-seed) would corrupt the run while rank 0 alone is saved, so it is an error here.
"""

from __future__ import annotations

import torch
from torch import nn


def fingerprints(module: nn.Module) -> tuple[list[str], torch.Tensor]:
    """Names and ``(tensors, 2)`` float64 ``[sum, sum of squares]`` of every parameter and persistent buffer."""
    names, values = [], []
    for name, tensor in module.state_dict().items():
        tensor = tensor.detach().double()
        names.append(name)
        values.append(torch.stack([tensor.sum(), tensor.pow(2).sum()]))
    if not values:
        return names, torch.zeros(0, 2, dtype=torch.float64)
    return names, torch.stack(values)


def check_replicas_in_sync(module: nn.Module, accelerator, tolerance: float = 0.0) -> None:
    """Raise ``RuntimeError`` naming the tensors whose fingerprints differ between ranks."""
    if accelerator.num_processes <= 1:
        return
    names, local = fingerprints(module)
    gathered = accelerator.gather(local.to(accelerator.device)[None]).cpu()  # (ranks, tensors, 2)
    spread = (gathered - gathered[:1]).abs().amax(dim=(0, 2))  # (tensors,)
    scale = gathered[:1].abs().amax(dim=2)[0].clamp(min=1.0)
    diverged = [
        name for name, difference, size in zip(names, spread.tolist(), scale.tolist()) if difference > tolerance * size
    ]
    if diverged:
        raise RuntimeError(f"Ranks hold different values for {len(diverged)} tensors, e.g. {diverged[:5]}")
