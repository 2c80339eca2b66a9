"""Lazy imports of optional packages with an actionable error when one is missing.

The evaluation metrics rely on packages that are not needed to run the codec itself (``pystoi``,
``pesq``, ``resemblyzer``, ``faster-whisper``, ``evaluate``, ``matplotlib``). They are imported
only when a metric or backend that needs them is used, so ``import xy_tokenizer.evaluation`` is
cheap and works without any of them.
"""

from __future__ import annotations

import importlib
from types import ModuleType


class MissingDependencyError(ImportError):
    """An optional package needed by a metric or backend is not installed."""


def require(module_name: str, pip_requirement: str, purpose: str) -> ModuleType:
    """Import ``module_name`` or raise :class:`MissingDependencyError` explaining how to install it.

    Args:
        module_name: Importable module name, e.g. ``"pystoi"``.
        pip_requirement: What to ``pip install`` to get it, e.g. ``"pystoi>=0.4"``.
        purpose: What needs it, used in the message, e.g. ``"STOI"``.
    """
    try:
        return importlib.import_module(module_name)
    except ImportError as error:
        raise MissingDependencyError(
            f"{purpose} needs the optional package `{module_name}` which could not be imported "
            f"({error}). Install it with: pip install {pip_requirement}"
        ) from error
