"""Sending a model to datasets' `.map` worker processes.

datasets pickles the map function (with dill) for every worker job. Forked workers (the Linux
default) already hold this process's memory, so a model registered before the worker pool starts
is not serialised at all: the pickle carries a key into the registry and the worker finds the
same object, shared copy-on-write — no seconds of pickling per job, no extra copy of the weights
per worker. Otherwise (spawn/forkserver start methods, or a model not registered) the model
travels as class + config + state dict (modules with weight-norm parametrizations cannot be
pickled whole).
"""

from __future__ import annotations

import os
import weakref
from dataclasses import dataclass
from typing import Any

import multiprocess
import torch

# Models handed to forked workers, by id; weak, so that finished map functions do not keep them alive.
_LIVE_MODELS: weakref.WeakValueDictionary[int, torch.nn.Module] = weakref.WeakValueDictionary()


@dataclass(frozen=True)
class ForkSharedModel:
    """A model found again in a forked child through the registry it inherited."""

    key: int
    owner_pid: int


@dataclass(frozen=True)
class SerialisedModel:
    """A model as class + config + state dict (each tensor keeps its dtype)."""

    model_class: type
    config: Any
    weights: dict[str, torch.Tensor]


def workers_are_forked() -> bool:
    """Whether datasets' worker pool will fork: `multiprocess`'s start method, or its platform default."""
    method = multiprocess.get_start_method(allow_none=True) or multiprocess.get_all_start_methods()[0]
    return method == "fork"


def register_for_fork(model: torch.nn.Module) -> None:
    """Make `model` findable by processes forked from now on (call it before the worker pool starts:
    workers forked earlier do not see later entries)."""
    _LIVE_MODELS[id(model)] = model


def pack_model(model: torch.nn.Module, share_by_fork: bool | None = None) -> ForkSharedModel | SerialisedModel:
    """What to pickle in place of `model`: a registry key when workers fork (`share_by_fork=None`
    decides from the start method) and the model was registered, else the serialised model."""
    if share_by_fork is None:
        share_by_fork = workers_are_forked() and _LIVE_MODELS.get(id(model)) is model
    if share_by_fork:
        register_for_fork(model)
        return ForkSharedModel(id(model), os.getpid())
    weights = {name: tensor.detach().cpu() for name, tensor in model.state_dict().items()}
    return SerialisedModel(type(model), model.config, weights)


def unpack_model(packed: ForkSharedModel | SerialisedModel) -> torch.nn.Module:
    """The model again: the inherited object in a forked child (or in the packing process itself),
    or a model rebuilt from its state dict."""
    if isinstance(packed, ForkSharedModel):
        model = _LIVE_MODELS.get(packed.key)
        if model is None or packed.owner_pid not in (os.getpid(), os.getppid()):
            raise RuntimeError(
                f"The model was packed for processes forked from pid {packed.owner_pid}; this process "
                f"(pid {os.getpid()}) does not hold it. Use the fork start method or pack with share_by_fork=False."
            )
        return model
    model = packed.model_class(packed.config)
    # assign=True keeps each tensor's dtype (a bfloat16 model stays bfloat16, fp32-kept parts stay fp32).
    model.load_state_dict(packed.weights, assign=True)
    return model.eval()
