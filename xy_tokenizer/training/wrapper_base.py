"""What both stage wrappers share: frozen codec parts that stay frozen *and* in eval mode.

``Trainer`` calls ``model.train()`` before every step. A frozen quantizer left in train mode would keep
updating its EMA codebooks (they are buffers, not parameters), so :meth:`CodecTrainingWrapper.train`
puts every frozen part back into eval mode each time.
"""

from __future__ import annotations

import torch
from torch import nn

from ..modeling_xy_tokenizer import XYTokenizerModel

STAGE1_FROZEN = ("semantic_encoder",)
STAGE2_FROZEN = (
    "semantic_encoder",
    "semantic_encoder_adapter",
    "acoustic_encoder",
    "pre_rvq_adapter",
    "downsample",
    "quantizer",
)


class CodecTrainingWrapper(nn.Module):
    """Holds the codec (``self.codec``) and keeps ``frozen`` submodules frozen and in eval mode.

    Args:
        codec: the model being trained.
        frozen: names of codec submodules that get ``requires_grad_(False)`` and always stay in eval mode.
        extra_frozen: other modules (e.g. the LLM) treated the same way.
    """

    def __init__(
        self, codec: XYTokenizerModel, frozen: tuple[str, ...], extra_frozen: tuple[nn.Module, ...] = ()
    ) -> None:
        super().__init__()
        unknown = [name for name in frozen if not isinstance(getattr(codec, name, None), nn.Module)]
        if unknown:
            raise ValueError(f"Unknown codec submodules to freeze: {unknown}")
        self.codec = codec
        self.frozen_names = tuple(frozen)
        self._extra_frozen = list(extra_frozen)  # plain list: registered elsewhere in the module tree
        for module in self.frozen_modules():
            module.requires_grad_(False)
        self.train(self.training)

    def frozen_modules(self) -> list[nn.Module]:
        return [getattr(self.codec, name) for name in self.frozen_names] + self._extra_frozen

    def train(self, mode: bool = True) -> CodecTrainingWrapper:
        super().train(mode)
        for module in self.frozen_modules():
            module.eval()
        return self

    def _frozen_extra_prefixes(self) -> list[str]:
        return [f"{name}." for name, module in self.named_modules() if any(module is m for m in self._extra_frozen)]

    def extra_state_dict(self) -> dict[str, torch.Tensor]:
        """State of what is trained besides the codec (e.g. the LLM adapter): no ``codec.*``, no frozen extras."""
        skipped = ["codec.", *self._frozen_extra_prefixes()]
        return {key: value for key, value in self.state_dict().items() if not key.startswith(tuple(skipped))}

    def load_extra_state_dict(self, state: dict[str, torch.Tensor]) -> None:
        """Inverse of :meth:`extra_state_dict`; the key sets must match exactly."""
        expected = set(self.extra_state_dict())
        if set(state) != expected:
            raise ValueError(
                f"Training-module state does not match this model: missing {sorted(expected - set(state))}, "
                f"unexpected {sorted(set(state) - expected)}"
            )
        self.load_state_dict(state, strict=False)
