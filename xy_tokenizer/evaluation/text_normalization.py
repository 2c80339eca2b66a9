"""Simple, language-agnostic text normalisation applied before word/character error rates."""

from __future__ import annotations

import unicodedata

from .config import TextNormalizationConfig

# Apostrophes are deleted (don't -> dont) rather than turned into word breaks.
_APOSTROPHES = frozenset("'\u2019\u2018\u02bc`")


def normalize_text(text: str, config: TextNormalizationConfig = TextNormalizationConfig()) -> str:
    """Normalise ``text`` as described in :class:`~xy_tokenizer.evaluation.config.TextNormalizationConfig`.

    Example: ``"Hello,  World! Don't"`` -> ``"hello world dont"``.

    Returns:
        The words of the text joined by single spaces (empty string if none are left).
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, got {type(text).__name__}")
    if config.unicode_form is not None:
        text = unicodedata.normalize(config.unicode_form, text)
    if config.lowercase:
        text = text.casefold()
    if config.remove_punctuation:
        text = "".join(
            "" if char in _APOSTROPHES else " " if unicodedata.category(char).startswith("P") else char for char in text
        )
    return " ".join(text.split())
