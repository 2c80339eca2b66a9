"""Batching: right-pad audio and tokenize transcripts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch


def pad_audio(items: Sequence[np.ndarray]) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-pad mono clips: ``(batch, 1, samples)`` float32 and ``padding_mask`` ``(batch, samples)`` long."""
    longest = max(item.shape[0] for item in items)
    audio = torch.zeros(len(items), 1, longest)
    mask = torch.zeros(len(items), longest, dtype=torch.long)
    for row, item in enumerate(items):
        audio[row, 0, : item.shape[0]] = torch.from_numpy(np.asarray(item, dtype=np.float32))
        mask[row, : item.shape[0]] = 1
    return audio, mask


class AudioTextCollator:
    """Collate :class:`~xy_tokenizer.training.audio_dataset.AudioTextDataset` items.

    Output keys (the inputs of the training wrappers):

    - ``input_values`` ``(batch, 1, samples)`` and ``padding_mask`` ``(batch, samples)``: encoder input;
    - ``target_values`` ``(batch, 1, output_samples)``: reconstruction target at the decoder's rate
      (only when it differs from the input rate; otherwise the input is the target);
    - with a tokenizer: ``transcript_ids`` ``(batch, tokens)`` (transcript + EOS, right-padded) and
      ``transcript_mask`` ``(batch, tokens)`` (1 on tokens to predict; a row of 0s = no ASR target).

    Args:
        tokenizer: the LLM's tokenizer (stage 1), or None.
        max_transcript_tokens: transcripts are truncated to this many tokens before the EOS.
    """

    def __init__(self, tokenizer=None, max_transcript_tokens: int = 256) -> None:
        if tokenizer is not None and tokenizer.eos_token_id is None:
            raise ValueError("The LLM tokenizer needs an eos_token: the ASR target ends with it")
        self.tokenizer = tokenizer
        self.max_transcript_tokens = max_transcript_tokens

    def tokenize(self, texts: Sequence[str | None]) -> tuple[torch.Tensor, torch.Tensor]:
        """``(transcript_ids, transcript_mask)``, both ``(batch, tokens)`` long."""
        eos = self.tokenizer.eos_token_id
        pad = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else eos
        rows = []
        for text in texts:
            if text is None:
                rows.append([])
                continue
            ids = self.tokenizer(text, add_special_tokens=False)["input_ids"][: self.max_transcript_tokens]
            rows.append([*ids, eos])
        width = max(1, max(len(row) for row in rows))
        ids = torch.full((len(rows), width), pad, dtype=torch.long)
        mask = torch.zeros(len(rows), width, dtype=torch.long)
        for index, row in enumerate(rows):
            ids[index, : len(row)] = torch.tensor(row, dtype=torch.long)
            mask[index, : len(row)] = 1
        return ids, mask

    def __call__(self, items: Sequence[dict[str, Any]]) -> dict[str, torch.Tensor]:
        if not items:
            raise ValueError("Cannot collate an empty batch")
        input_values, padding_mask = pad_audio([item["input_values"] for item in items])
        batch = {"input_values": input_values, "padding_mask": padding_mask}
        if any(item.get("target_values") is not None for item in items):
            batch["target_values"], _ = pad_audio([item["target_values"] for item in items])
        if self.tokenizer is not None:
            batch["transcript_ids"], batch["transcript_mask"] = self.tokenize([item.get("text") for item in items])
        return batch
