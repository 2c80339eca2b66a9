"""Checkpoint folder layout.

A checkpoint (``checkpoint-N/``) and the final output folder are, first of all, a normal
``save_pretrained`` folder of the generator (``config.json``, ``model.safetensors`` with the RVQ
buffers, ``preprocessor_config.json`` and the remote-code files): ``AutoModel.from_pretrained(folder,
trust_remote_code=True)`` loads it, without any discriminator. Next to it:

- ``training_modules.safetensors``: other trained weights (stage 1: the LLM adapter);
- ``discriminator.safetensors``: the discriminators (stage 2);
- ``discriminator_state.pt``: the discriminator optimizer and scheduler (stage 2);
- what ``Trainer`` writes: ``optimizer.pt``, ``scheduler.pt``, ``scaler.pt``, ``rng_state*.pth``
  (every rank), ``trainer_state.json`` (global step = data position), ``training_args.bin``.
"""

from __future__ import annotations

import json
from pathlib import Path

import safetensors.torch
import torch
from torch import nn

from ..conversion import save_with_remote_code
from ..feature_extraction_xy_tokenizer import XYTokenizerFeatureExtractor
from ..modeling_xy_tokenizer import XYTokenizerModel

TRAINING_MODULES_NAME = "training_modules.safetensors"
DISCRIMINATOR_WEIGHTS_NAME = "discriminator.safetensors"
DISCRIMINATOR_STATE_NAME = "discriminator_state.pt"
SAFE_WEIGHTS_NAME = "model.safetensors"
SAFE_WEIGHTS_INDEX_NAME = "model.safetensors.index.json"


def save_generator(codec: XYTokenizerModel, folder: str | Path) -> None:
    """``save_pretrained`` the codec with its feature extractor and remote code (AutoModel-loadable)."""
    save_with_remote_code(codec, XYTokenizerFeatureExtractor.from_model_config(codec.config), str(folder))


def read_generator_state(folder: str | Path) -> dict[str, torch.Tensor]:
    """The codec state dict of a ``save_pretrained`` folder (single or sharded safetensors)."""
    folder = Path(folder)
    if (folder / SAFE_WEIGHTS_NAME).is_file():
        return safetensors.torch.load_file(folder / SAFE_WEIGHTS_NAME, device="cpu")
    if (folder / SAFE_WEIGHTS_INDEX_NAME).is_file():
        index = json.loads((folder / SAFE_WEIGHTS_INDEX_NAME).read_text())
        state: dict[str, torch.Tensor] = {}
        for shard in sorted(set(index["weight_map"].values())):
            state.update(safetensors.torch.load_file(folder / shard, device="cpu"))
        return state
    raise FileNotFoundError(f"No {SAFE_WEIGHTS_NAME} (or its index) in {folder}: not a generator checkpoint")


@torch.no_grad()
def load_generator_state(codec: XYTokenizerModel, folder: str | Path) -> None:
    """Load a saved codec (weights and RVQ buffers) into ``codec`` in place, strictly."""
    codec.load_state_dict(read_generator_state(folder), strict=True)


def save_tensors(state: dict[str, torch.Tensor], path: str | Path) -> None:
    """Write a flat tensor dict with safetensors (CPU, contiguous)."""
    safetensors.torch.save_file({key: value.detach().cpu().contiguous() for key, value in state.items()}, str(path))


def load_tensors(path: str | Path) -> dict[str, torch.Tensor]:
    if not Path(path).is_file():
        raise FileNotFoundError(f"Checkpoint file {path} is missing")
    return safetensors.torch.load_file(str(path), device="cpu")


@torch.no_grad()
def load_module(module: nn.Module, path: str | Path) -> None:
    """Load ``path`` into ``module`` strictly (e.g. the discriminators)."""
    module.load_state_dict(load_tensors(path), strict=True)
