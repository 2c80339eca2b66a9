"""Length bucketing inside one `.map` batch: similar lengths share a forward pass, so little padding."""

from __future__ import annotations

from collections.abc import Sequence


def length_buckets(lengths: Sequence[int], max_padded_length: int) -> list[list[int]]:
    """Group item indices, longest first, so that each group's padded size stays within a budget.

    A group of `k` items padded to its longest item costs `k * longest`; items are added while that
    stays `<= max_padded_length`. An item longer than the budget alone forms its own group (the model
    windows long audio internally, so it still runs).

    Args:
        lengths: length of each item (samples or code frames), in input order.
        max_padded_length: budget of padded elements per group (e.g. samples per forward pass).

    Returns:
        Lists of indices into `lengths`; each index appears exactly once. Callers restore the input
        order by writing each result back at its index.
    """
    if max_padded_length < 1:
        raise ValueError(f"max_padded_length must be >= 1, got {max_padded_length}.")
    # Stable sort: equal lengths keep their input order, so grouping is deterministic.
    order = sorted(range(len(lengths)), key=lambda index: -lengths[index])
    groups: list[list[int]] = []
    for index in order:
        # Sorted descending, so a group's first item is its longest.
        if groups and (len(groups[-1]) + 1) * lengths[groups[-1][0]] <= max_padded_length:
            groups[-1].append(index)
        else:
            groups.append([index])
    return groups
