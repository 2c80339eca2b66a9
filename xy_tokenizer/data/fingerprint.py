"""Deterministic cache fingerprints for `.map` calls that hold a torch model.

`datasets` fingerprints a transform by pickling and hashing the function with dill; for a closure over
a torch model that is slow (the whole model is serialised) and not stable across processes or
sessions, so the cache would silently miss. Instead we hash what determines the output: the input
dataset's fingerprint, the model's config and weights, and the output-affecting options.
"""

from __future__ import annotations

import json
from typing import Any

import torch
import xxhash

# Config entries that name where or how the model was loaded, not what it computes.
_VOLATILE_CONFIG_KEYS = (
    "_name_or_path", "transformers_version", "_commit_hash", "dtype", "torch_dtype", "architectures",
)  # fmt: skip

# Bumped when this package changes what it writes for the same inputs, so that old caches miss.
CACHE_FORMAT_VERSION = 1


def model_fingerprint(model: torch.nn.Module) -> str:
    """Hex xxh3-128 of the model's config (minus load-time entries) and every state-dict tensor's
    name, dtype, shape and bytes: equal for a model saved and loaded back, different for any weight change."""
    digest = xxhash.xxh3_128()
    config = getattr(model, "config", None)
    if config is not None:
        values = {key: value for key, value in config.to_dict().items() if key not in _VOLATILE_CONFIG_KEYS}
        digest.update(json.dumps(values, sort_keys=True, default=str).encode())
    for name, tensor in sorted(model.state_dict().items()):
        tensor = tensor.detach().to("cpu").contiguous()
        digest.update(f"{name}|{tensor.dtype}|{tuple(tensor.shape)}".encode())
        # A uint8 view hashes any dtype (numpy has no bfloat16).
        digest.update(tensor.reshape(-1).view(torch.uint8).numpy().tobytes())
    return digest.hexdigest()


def transform_fingerprint(dataset_fingerprint: str, model_hash: str, options: dict[str, Any]) -> str:
    """Fingerprint of `dataset.map(...)` with a model: 32 hex characters (datasets allows up to 64)."""
    payload = json.dumps(
        {"dataset": dataset_fingerprint, "model": model_hash, "options": options, "version": CACHE_FORMAT_VERSION},
        sort_keys=True,
        default=str,
    )
    return xxhash.xxh3_128_hexdigest(payload.encode())
