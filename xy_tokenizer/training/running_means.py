"""Per-component loss averages between two logging steps, averaged across processes."""

from __future__ import annotations

from collections.abc import Mapping

import torch


class RunningMeans:
    """Accumulate ``{name: float}`` logs of several steps; :meth:`pop` returns their means and resets.

    Every process must have added the same names (they run the same code path), because the means
    are reduced across processes in sorted-name order.
    """

    def __init__(self) -> None:
        self.sums: dict[str, float] = {}
        self.counts: dict[str, int] = {}

    def add(self, logs: Mapping[str, float]) -> None:
        for name, value in logs.items():
            self.sums[name] = self.sums.get(name, 0.0) + float(value)
            self.counts[name] = self.counts.get(name, 0) + 1

    def pop(self, accelerator=None) -> dict[str, float]:
        """Means since the last pop; with an ``accelerator`` of several processes, their mean across ranks."""
        names = sorted(self.sums)
        means = [self.sums[name] / self.counts[name] for name in names]
        self.sums, self.counts = {}, {}
        if accelerator is not None and accelerator.num_processes > 1:
            # A fixed-size probe first: ranks that disagree on the names would otherwise deadlock below.
            count = accelerator.reduce(torch.tensor([float(len(names))], device=accelerator.device), "sum")
            if int(count.item()) != len(names) * accelerator.num_processes:
                raise RuntimeError(f"Processes logged different loss names (this rank: {names})")
            if names:
                values = torch.tensor(means, dtype=torch.float64, device=accelerator.device)
                means = accelerator.reduce(values, "mean").tolist()
        return dict(zip(names, means))
