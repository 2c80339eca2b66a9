"""Properties of XYTokenizerModel: lengths, batch = single, decode(encode) = forward, bitrate."""

import pytest
import torch
from helpers import make_tiny_model, pad_batch, random_speechlike

SPC = 1280  # input samples per code frame


@pytest.fixture(scope="module")
def model():
    return make_tiny_model()


@pytest.fixture(scope="module")
def clips():
    # Lengths exercise L mod 1280 > 1120 (the original encoder yields one frame too many there).
    return [random_speechlike(n, seed) for seed, n in enumerate([7 * SPC + 1200, 3 * SPC + 5, 11 * SPC])]


@torch.no_grad()
def test_encode_lengths_and_range(model, clips):
    values, mask = pad_batch(clips)
    out = model.encode(values, mask)
    assert out.audio_codes.dtype == torch.int64
    assert out.audio_codes.shape == (3, model.config.num_quantizers, 11)
    assert out.audio_codes_mask.sum(-1).tolist() == [len(c) // SPC for c in clips]
    assert int(out.audio_codes.min()) >= 0 and int(out.audio_codes.max()) < model.config.codebook_size
    assert len(torch.unique(out.audio_codes[0, 0, :7])) > 1, "codes should vary on speech-like audio"


@torch.no_grad()
def test_padded_batch_equals_items_alone(model, clips):
    values, mask = pad_batch(clips)
    batched = model.encode(values, mask)
    decoded = model.decode(batched.audio_codes, batched.audio_codes_mask)
    for row, clip in enumerate(clips):
        alone = model.encode(clip[None, None])
        frames = alone.audio_codes.shape[-1]
        assert torch.equal(batched.audio_codes[row, :, :frames], alone.audio_codes[0])
        assert int(batched.audio_codes[row, :, frames:].abs().sum()) == 0
        audio_alone = model.decode(alone.audio_codes).audio_values[0, 0]
        samples = frames * model.config.output_samples_per_code
        assert decoded.padding_mask[row].sum() == samples
        torch.testing.assert_close(decoded.audio_values[row, 0, :samples], audio_alone, atol=1e-6, rtol=0)
        assert decoded.audio_values[row, 0, samples:].abs().sum() == 0


@torch.no_grad()
def test_decode_of_encode_equals_forward(model, clips):
    values, mask = pad_batch(clips)
    forward = model(values, mask)
    encoded = model.encode(values, mask)
    decoded = model.decode(encoded.audio_codes, encoded.audio_codes_mask)
    assert torch.equal(forward.audio_codes * forward.audio_codes_mask[:, None], encoded.audio_codes)
    torch.testing.assert_close(forward.audio_values, decoded.audio_values, atol=1e-6, rtol=0)
    assert torch.equal(forward.padding_mask, decoded.padding_mask)


@torch.no_grad()
def test_output_length_is_frames_times_output_hop():
    for variant, hop in [("16k", 1280), ("24k", 1920), ("32k", 2560)]:
        model = make_tiny_model(variant)
        codes = torch.randint(0, 16, (2, 4, 9))
        mask = torch.ones(2, 9, dtype=torch.long)
        mask[1, 6:] = 0
        out = model.decode(codes, mask)
        assert out.audio_values.shape == (2, 1, 9 * hop)
        assert out.padding_mask.sum(-1).tolist() == [9 * hop, 6 * hop]
        assert model.config.output_samples_per_code == hop


@torch.no_grad()
def test_variable_bitrate_codes_are_prefixes(model, clips):
    full = model.encode(clips[0][None, None]).audio_codes
    for n in range(1, model.config.num_quantizers + 1):
        partial = model.encode(clips[0][None, None], num_quantizers=n).audio_codes
        assert partial.shape[1] == n
        assert torch.equal(partial, full[:, :n])  # residual VQ: stage k never depends on later stages
        audio = model.decode(partial).audio_values
        assert audio.shape[-1] == full.shape[-1] * SPC and torch.isfinite(audio).all()
    # More stages reconstruct the quantizer input better.
    torch.testing.assert_close(model.decode(full, num_quantizers=2).audio_values, model.decode(full[:, :2]).audio_values)


def test_config_derived_rates(model):
    config = model.config
    assert config.frame_rate == 12.5
    assert config.bitrate == config.num_quantizers * 4 * 12.5  # 16-entry codebooks: 4 bits


@torch.no_grad()
def test_eager_and_sdpa_agree(clips):
    sdpa = make_tiny_model(attn_implementation="sdpa")
    eager = make_tiny_model(attn_implementation="eager")
    assert sdpa.config._attn_implementation == "sdpa" and eager.config._attn_implementation == "eager"
    values, mask = pad_batch(clips)
    a, b = sdpa(values, mask), eager(values, mask)
    assert torch.equal(a.audio_codes, b.audio_codes)
    torch.testing.assert_close(a.audio_values, b.audio_values, atol=1e-5, rtol=0)


def test_forward_is_differentiable(clips):
    model = make_tiny_model().train()
    values, mask = pad_batch(clips[:2])
    out = model(values, mask)
    (out.audio_values.pow(2).mean() + out.commitment_loss).backward()
    for name in ["acoustic_encoder.conv1.weight", "pre_rvq_adapter.proj.weight", "quantizer.input_proj.parametrizations.weight.original1",
                 "post_rvq_adapter.out_proj.weight", "vocos.head.out.weight"]:  # fmt: skip
        grad = model.get_parameter(name).grad
        assert grad is not None and grad.abs().sum() > 0, name
    assert out.commitment_loss_per_stage.shape == (model.config.num_quantizers,)


def test_gradient_checkpointing_gives_same_gradients(clips):
    values, mask = pad_batch(clips[:2])
    grads = []
    for checkpointing in (False, True):
        model = make_tiny_model(kmeans_init=False).train()
        model.quantizer.eval()  # keep codebooks fixed so both runs quantize alike
        if checkpointing:
            enable = getattr(model, "activation_checkpointing_enable", None) or model.gradient_checkpointing_enable
            enable()
        model(values, mask).audio_values.sum().backward()
        grads.append(model.acoustic_encoder.layers[0].fc1.weight.grad.clone())
    torch.testing.assert_close(grads[0], grads[1])


@torch.no_grad()
def test_pad_to_window_gives_identical_codes(model, clips):
    values, mask = pad_batch(clips)
    fast = model.encode(values, mask)
    padded = model.encode(values, mask, pad_to_window=True)
    assert torch.equal(fast.audio_codes, padded.audio_codes)
