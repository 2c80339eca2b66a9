"""Recipes: a YAML file (optionally ``extends:`` another) plus command-line overrides → typed arguments.

    recipe = parse_recipe(["configs/stage1_tiny.yaml", "--max_steps", "10", "--output_dir", "runs/x"])

Every key of the YAML must be a field of one of the argument dataclasses; unknown keys are an error
(a typo must not silently fall back to a default).
"""

from __future__ import annotations

import dataclasses
import os
import typing
from dataclasses import dataclass
from pathlib import Path

import torch
import yaml
from transformers import HfArgumentParser

from .arguments import CodecArguments, DataArguments, LLMArguments, ModelArguments, XYTokenizerTrainingArguments
from .discriminators import DiscriminatorConfig
from .losses import LossWeights, MelLossConfig

EXTENDS_KEY = "extends"
# Command-line spelling of None for optional fields (``--crop_seconds null``), as in YAML. ("none" stays a
# string: ``--report_to none`` means "no integrations".)
NULL_WORD = "null"


@dataclass
class Recipe:
    """All arguments of one run."""

    model: ModelArguments
    codec: CodecArguments
    llm: LLMArguments
    data: DataArguments
    mel: MelLossConfig
    discriminator: DiscriminatorConfig
    weights: LossWeights
    training: XYTokenizerTrainingArguments


# In the order of the Recipe fields.
ARGUMENT_CLASSES = (
    ModelArguments, CodecArguments, LLMArguments, DataArguments, MelLossConfig, DiscriminatorConfig, LossWeights,
    XYTokenizerTrainingArguments,
)  # fmt: skip


def load_recipe_file(path: str | os.PathLike, _seen: tuple[Path, ...] = ()) -> dict:
    """Read a YAML recipe, merging the files it ``extends`` (relative to itself) underneath it."""
    path = Path(path).resolve()
    if path in _seen:
        raise ValueError(f"Recipe {path} extends itself through {[str(p) for p in _seen]}")
    if not path.is_file():
        raise FileNotFoundError(f"No recipe file {path}")
    content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(content, dict):
        raise TypeError(f"Recipe {path} must be a YAML mapping of argument names to values")
    base = content.pop(EXTENDS_KEY, None)
    if base is None:
        return content
    merged = load_recipe_file(path.parent / base, (*_seen, path))
    merged.update(content)
    return merged


def known_fields() -> set[str]:
    """Names of every field of every argument dataclass."""
    return {f.name for cls in ARGUMENT_CLASSES for f in dataclasses.fields(cls) if f.init}


def optional_fields() -> set[str]:
    """Names of the fields whose type admits None."""
    names = set()
    for cls in ARGUMENT_CLASSES:
        hints = typing.get_type_hints(cls)
        fields = [f for f in dataclasses.fields(cls) if f.init]
        names.update(f.name for f in fields if type(None) in typing.get_args(hints[f.name]))
    return names


def split_null_overrides(arguments: list[str], optional: set[str]) -> tuple[list[str], dict[str, None]]:
    """Take ``--field null`` / ``--field=null`` of optional fields out of ``arguments`` (argparse cannot
    produce None); returns the remaining arguments and ``{field: None}``."""
    remaining, nulls = [], {}
    index = 0
    while index < len(arguments):
        token = arguments[index]
        name, equals, value = token.partition("=")
        field_name = name.lstrip("-").replace("-", "_")
        if token.startswith("--") and field_name in optional:
            if not equals and index + 1 < len(arguments):
                value = arguments[index + 1]
            if value == NULL_WORD:
                nulls[field_name] = None
                index += 1 if equals else 2
                continue
        remaining.append(token)
        index += 1
    return remaining, nulls


def parse_recipe(argv: list[str]) -> Recipe:
    """``[recipe.yaml, --field value, ...]`` → :class:`Recipe`. Command-line values override the YAML.

    On a machine without CUDA ``use_cpu`` defaults to true, which is what makes
    ``accelerate launch --multi_gpu --num_processes N`` run N gloo processes on CPU.
    """
    if not argv or argv[0].startswith("-"):
        raise ValueError("Usage: xy_tokenizer.train RECIPE.yaml [--field value ...]")
    values = load_recipe_file(argv[0])
    unknown = sorted(set(values) - known_fields())
    if unknown:
        raise ValueError(f"Unknown keys in recipe {argv[0]}: {unknown}")
    if not torch.cuda.is_available():
        values.setdefault("use_cpu", True)
    parser = HfArgumentParser(ARGUMENT_CLASSES)
    arguments, nulls = split_null_overrides(list(argv[1:]), optional_fields())
    values.update(nulls)
    parser.set_defaults(**values)
    # Fields required by argparse (no default) are satisfied by the YAML.
    for action in parser._actions:
        if action.dest in values:
            action.required = False
    parsed = parser.parse_args_into_dataclasses(args=arguments)
    return Recipe(*parsed)


def recipe_from_dict(values: dict) -> Recipe:
    """Build a :class:`Recipe` from a flat ``{field: value}`` mapping (tests, notebooks)."""
    unknown = sorted(set(values) - known_fields())
    if unknown:
        raise ValueError(f"Unknown argument names: {unknown}")
    parsed = HfArgumentParser(ARGUMENT_CLASSES).parse_dict(values)
    return Recipe(*parsed)
