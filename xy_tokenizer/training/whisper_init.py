"""Initialise the codec's Whisper-shaped encoders from a transformers Whisper checkpoint.

Our encoders use HF ``WhisperEncoder`` parameter names (ARCHITECTURE.md §3.1); the only difference is
the positional table, a fixed sinusoid buffer here and ``embed_positions.weight`` there (same values),
which is dropped. Shapes must match exactly: e.g. Whisper-small (d_model 768, 12 layers, 80 mels) for
the released sizes; Whisper large-v3 (128 mels) is refused with the reason.
"""

from __future__ import annotations

import torch
from torch import nn
from transformers import AutoModel

from ..modeling_xy_tokenizer import XYTokenizerModel

WHISPER_ONLY_KEYS = ("embed_positions.weight",)
ENCODER_NAMES = ("semantic_encoder", "acoustic_encoder")


def whisper_encoder(source: str | nn.Module) -> nn.Module:
    """The encoder of a ``WhisperModel`` / ``WhisperForConditionalGeneration`` (instance, folder or Hub id)."""
    model = AutoModel.from_pretrained(source) if isinstance(source, str) else source
    encoder = model.get_encoder() if hasattr(model, "get_encoder") else model
    if type(encoder).__name__ != "WhisperEncoder":
        raise ValueError(f"Expected a Whisper model or encoder, but {source!r} gives a {type(encoder).__name__}")
    return encoder


def whisper_encoder_state_dict(source: str | nn.Module) -> dict[str, torch.Tensor]:
    """Whisper encoder weights under our key names (positional table dropped)."""
    state = whisper_encoder(source).state_dict()
    return {key: value for key, value in state.items() if key not in WHISPER_ONLY_KEYS}


@torch.no_grad()
def load_whisper_into_encoder(encoder: nn.Module, whisper_state: dict[str, torch.Tensor], name: str) -> None:
    """Copy ``whisper_state`` into one codec encoder; every learnable tensor must be covered, same shape."""
    target = {key: value for key, value in encoder.state_dict().items() if key != "positional_embedding"}
    missing = sorted(set(target) - set(whisper_state))
    unexpected = sorted(set(whisper_state) - set(target))
    mismatched = [
        f"{key}: whisper {tuple(whisper_state[key].shape)} vs {name} {tuple(value.shape)}"
        for key, value in target.items()
        if key in whisper_state and whisper_state[key].shape != value.shape
    ]
    if missing or unexpected or mismatched:
        raise ValueError(
            f"The Whisper encoder does not fit {name}: missing {missing[:5]}, unexpected {unexpected[:5]}, "
            f"mismatched shapes {mismatched[:5]} (codec sizes must equal the Whisper checkpoint's: d_model, layers, "
            "heads, FFN width, mel bins)"
        )
    for key, value in target.items():
        value.copy_(whisper_state[key].to(value.dtype))


def initialize_encoders_from_whisper(
    codec: XYTokenizerModel, source: str | nn.Module, encoders: tuple[str, ...] = ENCODER_NAMES
) -> None:
    """Load a Whisper encoder into the named codec encoders (``semantic_encoder`` and/or ``acoustic_encoder``)."""
    unknown = [name for name in encoders if name not in ENCODER_NAMES]
    if unknown:
        raise ValueError(f"Can only initialise {ENCODER_NAMES} from Whisper, but got {unknown}")
    state = whisper_encoder_state_dict(source)
    for name in encoders:
        load_whisper_into_encoder(getattr(codec, name), state, name)
