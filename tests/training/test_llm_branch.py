"""The stage-1 LLM branch: prompt packing and the transcript cross-entropy."""

import torch
from transformers import Qwen2Config, Qwen2ForCausalLM

from xy_tokenizer.training.llm_branch import IGNORE_INDEX, LLMTranscriptionLoss, SpeechToLLMAdapter, pack_prompts


def tiny_llm(vocab=50, hidden=16):
    torch.manual_seed(0)
    config = Qwen2Config(
        vocab_size=vocab, hidden_size=hidden, intermediate_size=32, num_hidden_layers=1, num_attention_heads=2,
        num_key_value_heads=1, max_position_embeddings=64, tie_word_embeddings=True,
    )  # fmt: skip
    return Qwen2ForCausalLM(config).eval()


def test_pack_prompts_layout():
    speech = torch.arange(2 * 3 * 1, dtype=torch.float).view(2, 3, 1) + 100
    prompt = torch.full((1, 1), -1.0)
    ids = torch.tensor([[5, 6, 7], [8, 0, 0]])
    mask = torch.tensor([[1, 1, 1], [1, 0, 0]])
    embeds, attention, labels = pack_prompts(speech, torch.tensor([3, 2]), prompt, ids[..., None].float(), ids, mask)
    assert embeds[0, :, 0].tolist() == [100, 101, 102, -1, 5, 6, 7]
    assert embeds[1, :5, 0].tolist() == [103, 104, -1, 8, 0] and attention[1].tolist() == [1, 1, 1, 1, 0, 0, 0]
    assert labels[0].tolist() == [IGNORE_INDEX] * 4 + [5, 6, 7]
    assert labels[1].tolist() == [IGNORE_INDEX] * 3 + [8] + [IGNORE_INDEX] * 3


def test_loss_equals_the_llm_own_label_loss():
    llm = tiny_llm()
    branch = LLMTranscriptionLoss(llm, SpeechToLLMAdapter(8, 16), prompt_ids=torch.tensor([3, 4]))
    features = torch.randn(2, 8, 5)
    lengths = torch.tensor([5, 3])
    ids = torch.tensor([[7, 8, 9, 1], [10, 1, 0, 0]])
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 0, 0]])
    loss = branch(features, lengths, ids, mask)
    embeds, attention, labels = pack_prompts(
        branch.adapter(features.transpose(1, 2)), lengths, llm.get_input_embeddings()(branch.prompt_ids),
        llm.get_input_embeddings()(ids), ids, mask,
    )  # fmt: skip
    expected = llm(inputs_embeds=embeds, attention_mask=attention, labels=labels).loss
    torch.testing.assert_close(loss, expected)


def test_gradient_reaches_features_and_adapter_not_the_llm():
    llm = tiny_llm()
    branch = LLMTranscriptionLoss(llm, SpeechToLLMAdapter(8, 16))
    features = torch.randn(1, 8, 4, requires_grad=True)
    branch(features, torch.tensor([4]), torch.tensor([[5, 1]]), torch.tensor([[1, 1]])).backward()
    assert features.grad.abs().sum() > 0 and branch.adapter.fc1.weight.grad.abs().sum() > 0
    assert all(parameter.grad is None for parameter in llm.parameters())


def test_batch_without_transcripts_is_zero_but_connected():
    branch = LLMTranscriptionLoss(tiny_llm(), SpeechToLLMAdapter(8, 16))
    loss = branch(torch.randn(2, 8, 3), torch.tensor([3, 3]), torch.zeros(2, 1, dtype=torch.long), torch.zeros(2, 1))
    loss.backward()
    assert loss.item() == 0.0 and branch.adapter.fc2.weight.grad is not None
