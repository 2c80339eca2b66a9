"""Text normalisation, word/character error rates and bitrate."""

from __future__ import annotations

import numpy as np
import pytest

from xy_tokenizer.evaluation import (
    TextNormalizationConfig,
    bitrate_bps,
    character_error_rate,
    normalize_text,
    word_edit_counts,
    word_error_rate,
)
from xy_tokenizer.evaluation.error_rates import edit_counts


def test_normalize_text_rules():
    assert normalize_text("Hello,  World! Don't   stop—now.") == "hello world dont stop now"
    assert normalize_text("ＡＢＣ") == "abc"  # NFKC folds full-width letters
    keep_case = TextNormalizationConfig(lowercase=False, remove_punctuation=False)
    assert normalize_text("Hello, World!", keep_case) == "Hello, World!"
    with pytest.raises(ValueError, match="str"):
        normalize_text(None)  # type: ignore[arg-type]


def test_identical_text_has_zero_wer(transcripts):
    for text in transcripts.values():
        assert word_error_rate(text, text) == 0.0
        assert word_error_rate(text, text.upper().replace(",", "")) == 0.0
        assert character_error_rate(text, text) == 0.0


def test_known_substitution_deletion_insertion_counts():
    counts = word_edit_counts("a b c d", "a x c d e")  # unique best alignment: b->x, +e
    assert (counts.substitutions, counts.deletions, counts.insertions) == (1, 0, 1)
    counts = word_edit_counts("a b c d", "a c d")
    assert (counts.substitutions, counts.deletions, counts.insertions, counts.reference_length) == (0, 1, 0, 4)
    assert word_edit_counts("the cat sat on the mat", "the bat sat on mat today").errors == 3
    assert word_error_rate("the cat sat on the mat", "the bat sat on mat today") == pytest.approx(3 / 6)
    assert word_error_rate("a b", "") == 1.0
    assert word_error_rate("a", "x y z") == 3.0  # insertions can push WER above 1


def test_character_error_rate_works_without_spaces():
    assert character_error_rate("今天天气很好", "今天天气不好") == pytest.approx(1 / 6)


def test_empty_reference_raises():
    with pytest.raises(ValueError, match="empty reference"):
        word_error_rate("", "hello")
    with pytest.raises(ValueError, match="empty reference"):
        word_error_rate("?!", "")


def _levenshtein_reference(first, second):
    """Textbook full-matrix edit distance, to check the rolling-row implementation."""
    table = np.zeros((len(first) + 1, len(second) + 1), dtype=int)
    table[:, 0] = np.arange(len(first) + 1)
    table[0, :] = np.arange(len(second) + 1)
    for i in range(1, len(first) + 1):
        for j in range(1, len(second) + 1):
            table[i, j] = min(
                table[i - 1, j] + 1, table[i, j - 1] + 1, table[i - 1, j - 1] + (first[i - 1] != second[j - 1])
            )
    return int(table[-1, -1])


def test_edit_counts_properties_on_random_sequences():
    rng = np.random.default_rng(42)
    vocabulary = list("abcde")
    for _ in range(200):
        first = list(rng.choice(vocabulary, size=rng.integers(0, 9)))
        second = list(rng.choice(vocabulary, size=rng.integers(0, 9)))
        forward, backward = edit_counts(first, second), edit_counts(second, first)
        assert forward.errors == _levenshtein_reference(first, second)
        assert forward.errors == backward.errors  # symmetric distance
        assert abs(len(first) - len(second)) <= forward.errors <= max(len(first), len(second))
        # the breakdown is consistent with both lengths
        assert len(first) - forward.deletions + forward.insertions == len(second)
        assert edit_counts(first, first).errors == 0


def test_bitrate_of_xy_tokenizer_is_one_kbps():
    assert bitrate_bps(num_quantizers=8, codebook_size=1024, frame_rate=12.5) == 1000.0
    assert bitrate_bps(1, 2, 1) == 1.0
    assert bitrate_bps(4, 1000, 12.5) == pytest.approx(4 * np.log2(1000) * 12.5)


@pytest.mark.parametrize(
    "arguments",
    [(0, 1024, 12.5), (8, 1, 12.5), (8, 1024, 0), (8, 1024, -1.0), (8.0, 1024, 12.5), (8, 1024, float("nan"))],
)
def test_bitrate_rejects_bad_arguments(arguments):
    with pytest.raises(ValueError):
        bitrate_bps(*arguments)
