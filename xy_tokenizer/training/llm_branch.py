"""Stage 1 semantic branch: quantized speech → trainable adapter → frozen causal LM → transcript CE.

Prompt layout per item ([I], TRAINING.md §2.2): ``[speech embeddings][prompt tokens][transcript][EOS]``,
packed without gaps and right-padded; the loss is the next-token cross-entropy on transcript + EOS only.
Gradients flow through the frozen LLM into the adapter and, through the straight-through RVQ, into
the encoders.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

IGNORE_INDEX = -100


class SpeechToLLMAdapter(nn.Module):
    """``LayerNorm → Linear → GELU → Linear`` from codec features to the LLM embedding size ([I]).

    Args:
        input_size: channels of the codec tensor it reads.
        llm_hidden_size: the LLM's embedding size.
        hidden_size: MLP width (default: ``llm_hidden_size``).
    """

    def __init__(self, input_size: int, llm_hidden_size: int, hidden_size: int | None = None) -> None:
        super().__init__()
        hidden_size = hidden_size or llm_hidden_size
        self.norm = nn.LayerNorm(input_size)
        self.fc1 = nn.Linear(input_size, hidden_size)
        self.fc2 = nn.Linear(hidden_size, llm_hidden_size)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        """``(batch, frames, input_size)`` → ``(batch, frames, llm_hidden_size)``."""
        return self.fc2(F.gelu(self.fc1(self.norm(features))))


def pack_prompts(
    speech: torch.Tensor,
    speech_lengths: torch.Tensor,
    prompt: torch.Tensor,
    transcripts: torch.Tensor,
    transcript_ids: torch.Tensor,
    transcript_mask: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Concatenate each item's pieces without gaps and right-pad.

    Args:
        speech: adapted speech ``(batch, frames, hidden)``; item ``b`` uses its first ``speech_lengths[b]``.
        prompt: prompt token embeddings ``(prompt_tokens, hidden)`` (may be empty).
        transcripts: transcript token embeddings ``(batch, tokens, hidden)``.
        transcript_ids / transcript_mask: ``(batch, tokens)``; the mask marks the tokens to predict.

    Returns:
        ``inputs_embeds`` ``(batch, length, hidden)``, ``attention_mask`` ``(batch, length)`` long and
        ``labels`` ``(batch, length)`` (``-100`` except on transcript tokens).
    """
    rows, labels = [], []
    for b in range(speech.shape[0]):
        count = int(transcript_mask[b].sum())
        pieces = [speech[b, : int(speech_lengths[b])], prompt, transcripts[b, :count]]
        rows.append(torch.cat([piece.to(speech.dtype) for piece in pieces]))
        ignored = int(speech_lengths[b]) + prompt.shape[0]
        labels.append(torch.cat([transcript_ids.new_full((ignored,), IGNORE_INDEX), transcript_ids[b, :count]]))
    length = max(row.shape[0] for row in rows)
    embeds = speech.new_zeros(len(rows), length, speech.shape[-1])
    attention = transcript_ids.new_zeros(len(rows), length)
    targets = transcript_ids.new_full((len(rows), length), IGNORE_INDEX)
    for b, (row, label) in enumerate(zip(rows, labels)):
        embeds[b, : row.shape[0]] = row
        attention[b, : row.shape[0]] = 1
        targets[b, : label.shape[0]] = label
    return embeds, attention, targets


class LLMTranscriptionLoss(nn.Module):
    """Cross-entropy of a frozen causal LM predicting the transcript from adapted codec features.

    Args:
        llm: any ``AutoModelForCausalLM`` (frozen here: ``requires_grad_(False)`` and kept in eval mode
            by the training wrapper).
        adapter: maps codec features to the LLM's embeddings (trainable).
        prompt_ids: token ids placed between speech and transcript ``(prompt_tokens,)`` (may be empty).
    """

    def __init__(self, llm: nn.Module, adapter: SpeechToLLMAdapter, prompt_ids: torch.Tensor | None = None) -> None:
        super().__init__()
        self.llm = llm.requires_grad_(False)
        self.adapter = adapter
        prompt_ids = prompt_ids if prompt_ids is not None else torch.zeros(0, dtype=torch.long)
        self.register_buffer("prompt_ids", prompt_ids.long(), persistent=False)

    def forward(
        self,
        features: torch.Tensor,
        feature_lengths: torch.Tensor,
        transcript_ids: torch.Tensor,
        transcript_mask: torch.Tensor,
    ) -> torch.Tensor:
        """
        Args:
            features: codec features ``(batch, channels, frames)`` (channels first, as the codec emits them).
            feature_lengths: valid frames ``(batch,)``.
            transcript_ids / transcript_mask: ``(batch, tokens)`` from the collator.

        Returns:
            Scalar mean CE over the target tokens of the batch (float32). A batch without any transcript
            gives 0 connected to the adapter, so every trainable parameter still receives a gradient.
        """
        speech = self.adapter(features.transpose(1, 2))  # (batch, frames, llm_hidden)
        embeddings = self.llm.get_input_embeddings()
        prompt = embeddings(self.prompt_ids)
        inputs, attention, labels = pack_prompts(
            speech, feature_lengths, prompt, embeddings(transcript_ids), transcript_ids, transcript_mask
        )
        targets = labels[:, 1:]  # position t predicts token t + 1
        selected = targets != IGNORE_INDEX
        if not bool(selected.any()):
            return speech.float().sum() * 0.0
        llm_dtype = next(self.llm.parameters()).dtype
        hidden = self.llm.base_model(inputs_embeds=inputs.to(llm_dtype), attention_mask=attention).last_hidden_state
        # The vocabulary projection only where a token is predicted: Qwen's 151k-entry head over every
        # speech frame would cost more memory than the rest of the branch.
        logits = self.llm.get_output_embeddings()(hidden[:, :-1][selected])  # (targets, vocab)
        return F.cross_entropy(logits.float(), targets[selected])
