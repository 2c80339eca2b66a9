"""Word and character error rates from our own Levenshtein alignment (no ``jiwer`` needed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .config import TextNormalizationConfig
from .text_normalization import normalize_text


@dataclass(frozen=True)
class EditCounts:
    """Minimum-edit alignment of a hypothesis to a reference token sequence.

    Attributes:
        substitutions: Reference tokens replaced by another token.
        deletions: Reference tokens missing from the hypothesis.
        insertions: Hypothesis tokens with no reference counterpart.
        reference_length: Number of reference tokens.
    """

    substitutions: int
    deletions: int
    insertions: int
    reference_length: int

    @property
    def errors(self) -> int:
        """Total edit distance ``S + D + I``."""
        return self.substitutions + self.deletions + self.insertions

    @property
    def error_rate(self) -> float:
        """``(S + D + I) / N``; may exceed 1 when the hypothesis has many insertions."""
        if self.reference_length == 0:
            raise ValueError("the error rate is undefined for an empty reference")
        return self.errors / self.reference_length


def edit_counts(reference: Sequence[str], hypothesis: Sequence[str]) -> EditCounts:
    """Levenshtein alignment of two token sequences (unit costs), with the error breakdown.

    Args:
        reference: Reference tokens, length ``N``.
        hypothesis: Hypothesis tokens, length ``M``.

    Among alignments of minimal total cost, ties prefer substitution/match, then deletion, then
    insertion; this only affects the breakdown, never :attr:`EditCounts.errors`.
    """
    reference, hypothesis = list(reference), list(hypothesis)
    # Each cell holds (errors, substitutions, deletions, insertions) of the best alignment of
    # reference[:i] with hypothesis[:j]; one row is kept at a time (O(N * M) time, O(M) memory).
    previous = [(j, 0, 0, j) for j in range(len(hypothesis) + 1)]
    for i, reference_token in enumerate(reference, start=1):
        current = [(i, 0, i, 0)]
        for j, hypothesis_token in enumerate(hypothesis, start=1):
            diagonal = previous[j - 1]
            if reference_token == hypothesis_token:
                best = diagonal
            else:
                best = (diagonal[0] + 1, diagonal[1] + 1, diagonal[2], diagonal[3])
            up = previous[j]
            if up[0] + 1 < best[0]:
                best = (up[0] + 1, up[1], up[2] + 1, up[3])
            left = current[j - 1]
            if left[0] + 1 < best[0]:
                best = (left[0] + 1, left[1], left[2], left[3] + 1)
            current.append(best)
        previous = current
    _, substitutions, deletions, insertions = previous[-1]
    return EditCounts(substitutions, deletions, insertions, len(reference))


def word_edit_counts(
    reference_text: str, hypothesis_text: str, normalization: TextNormalizationConfig = TextNormalizationConfig()
) -> EditCounts:
    """:func:`edit_counts` over the words of both texts after :func:`normalize_text`."""
    return edit_counts(
        normalize_text(reference_text, normalization).split(), normalize_text(hypothesis_text, normalization).split()
    )


def word_error_rate(
    reference_text: str, hypothesis_text: str, normalization: TextNormalizationConfig = TextNormalizationConfig()
) -> float:
    """WER = (S + D + I) / N over normalised words; 0 for texts equal after normalisation.

    Raises:
        ValueError: if the reference has no words after normalisation.
    """
    return word_edit_counts(reference_text, hypothesis_text, normalization).error_rate


def character_error_rate(
    reference_text: str, hypothesis_text: str, normalization: TextNormalizationConfig = TextNormalizationConfig()
) -> float:
    """CER over normalised characters, spaces excluded (meaningful for unsegmented scripts such as Chinese).

    Raises:
        ValueError: if the reference has no characters after normalisation.
    """
    reference = normalize_text(reference_text, normalization).replace(" ", "")
    hypothesis = normalize_text(hypothesis_text, normalization).replace(" ", "")
    return edit_counts(reference, hypothesis).error_rate
