"""Train XY-Tokenizer (stage 1 or 2) from a YAML recipe.

    accelerate launch -m xy_tokenizer.train configs/stage1_tiny.yaml [--field value ...]
    python -m xy_tokenizer.train configs/stage2_tiny.yaml --max_steps 100

Any field of the recipe's argument dataclasses can be overridden on the command line. Set
``--resume_from_checkpoint PATH`` (or ``last`` for the newest checkpoint in ``output_dir``) to resume.
"""

from __future__ import annotations

import sys

from transformers import HfArgumentParser
from transformers.trainer_utils import get_last_checkpoint

from .training.build import build_trainer
from .training.recipe import ARGUMENT_CLASSES, parse_recipe


def resolve_resume(value: str | None, output_dir: str) -> str | None:
    """``last`` → the newest ``checkpoint-N`` in ``output_dir``; a path is passed through."""
    if value is None or value.lower() not in ("last", "true"):
        return value
    checkpoint = get_last_checkpoint(output_dir) if output_dir else None
    if checkpoint is None:
        raise ValueError(f"resume_from_checkpoint={value!r} but {output_dir!r} holds no checkpoint-N folder")
    return checkpoint


def run(argv: list[str]) -> str:
    """Parse, build, train, save the final generator in ``output_dir``; returns ``output_dir``."""
    recipe = parse_recipe(argv)
    trainer = build_trainer(recipe)
    resume = resolve_resume(recipe.training.resume_from_checkpoint, recipe.training.output_dir)
    trainer.train(resume_from_checkpoint=resume)
    trainer.save_model()
    return recipe.training.output_dir


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m xy_tokenizer.train`` and of ``xy-tokenizer train``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip() + "\n\nFields (YAML keys or --overrides):\n")
        HfArgumentParser(ARGUMENT_CLASSES).print_help()
        return 0 if argv else 2
    try:
        run(argv)
    except (ValueError, FileNotFoundError) as error:
        print(f"xy_tokenizer.train: error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
