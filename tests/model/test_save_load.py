"""save_pretrained → from_pretrained round trips; dtype handling; buffers survive loading."""

import torch
from helpers import make_tiny_model, random_speechlike

from xy_tokenizer.modeling_xy_tokenizer import XYTokenizerModel, sinusoid_table


@torch.no_grad()
def test_round_trip_gives_identical_outputs(tmp_path):
    model = make_tiny_model(seed=3)
    model.save_pretrained(tmp_path)
    loaded = XYTokenizerModel.from_pretrained(tmp_path).eval()
    clip = random_speechlike(9000, 1)[None, None]
    a, b = model(clip), loaded(clip)
    assert torch.equal(a.audio_codes, b.audio_codes)
    assert torch.equal(a.audio_values, b.audio_values)
    for (name, x), (_, y) in zip(model.state_dict().items(), loaded.state_dict().items()):
        assert torch.equal(x, y), name


def test_fresh_model_buffers_are_initialised():
    model = make_tiny_model()
    table = model.semantic_encoder.positional_embedding
    torch.testing.assert_close(table, sinusoid_table(*table.shape))
    torch.testing.assert_close(model.vocos.head.istft.window, torch.hann_window(model.config.vocos_n_fft))
    assert torch.isfinite(model.log_mel.mel_filters).all() and model.log_mel.mel_filters.sum() > 0
    assert not bool(model.quantizer.quantizers[0].inited)


@torch.no_grad()
def test_loading_keeps_loaded_buffers_and_recreates_non_persistent_ones(tmp_path):
    model = make_tiny_model()
    model.quantizer.quantizers[1].inited.fill_(True)
    model.save_pretrained(tmp_path)
    loaded = XYTokenizerModel.from_pretrained(tmp_path)
    assert torch.equal(loaded.quantizer.quantizers[1].codebook, model.quantizer.quantizers[1].codebook)
    assert bool(loaded.quantizer.quantizers[1].inited)
    assert torch.equal(loaded.log_mel.mel_filters, model.log_mel.mel_filters)
    assert "log_mel.mel_filters" not in loaded.state_dict()


@torch.no_grad()
def test_bfloat16_keeps_quantizer_and_istft_in_float32(tmp_path):
    model = make_tiny_model()
    model.save_pretrained(tmp_path)
    half = XYTokenizerModel.from_pretrained(tmp_path, dtype=torch.bfloat16).eval()
    assert half.acoustic_encoder.conv1.weight.dtype == torch.bfloat16
    assert half.quantizer.quantizers[0].codebook.dtype == torch.float32
    assert half.quantizer.input_proj.parametrizations.weight.original1.dtype == torch.float32
    assert half.vocos.head.out.weight.dtype == torch.float32
    clip = random_speechlike(12000, 2)[None, None]
    out = half.decode(half.encode(clip).audio_codes)
    assert out.audio_values.dtype == torch.float32 and torch.isfinite(out.audio_values).all()
    # bf16 encoders may flip a few near-tie codes, but most must agree with float32.
    agreement = (half.encode(clip).audio_codes == model.encode(clip).audio_codes).float().mean()
    assert agreement > 0.5
