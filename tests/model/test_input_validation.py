"""Bad input gets a clear error, never a silent truncation or a crash deep inside."""

import pytest
import torch
from helpers import make_tiny_model


@pytest.fixture(scope="module")
def model():
    return make_tiny_model()


AUDIO = torch.randn(2, 1, 4000) * 0.1


@pytest.mark.parametrize(
    "values, mask, error, match",
    [
        (torch.randn(1, 2, 4000), None, ValueError, "mono"),
        (torch.randn(1, 1, 1, 4000), None, ValueError, "shape"),
        (torch.zeros(1, 1, 0), None, ValueError, "empty"),
        (torch.full((1, 1, 4000), float("nan")), None, ValueError, "NaN"),
        (torch.full((1, 1, 4000), float("inf")), None, ValueError, "NaN or infinite"),
        ((AUDIO * 32767).to(torch.int16), None, TypeError, "floating point"),
        (AUDIO.numpy(), None, TypeError, "torch.Tensor"),
        (torch.randn(1, 1, 1000), None, ValueError, "shorter than one code frame"),
        (AUDIO, torch.ones(2, 3999, dtype=torch.long), ValueError, "shape"),
        (AUDIO, torch.tensor([[1] * 3000 + [0] * 999 + [1], [1] * 4000]), ValueError, "prefix"),
        (AUDIO, torch.tensor([[0] * 4000, [1] * 4000]), ValueError, r"Items \[0\] have no samples"),
        (AUDIO, torch.full((2, 4000), 2), ValueError, "only 0 and 1"),
    ],
)
def test_encode_rejects(model, values, mask, error, match):
    with pytest.raises(error, match=match):
        model.encode(values, mask)


def test_num_quantizers_out_of_range(model):
    for n in (0, model.config.num_quantizers + 1):
        with pytest.raises(ValueError, match="num_quantizers"):
            model.encode(AUDIO, num_quantizers=n)


@pytest.mark.parametrize(
    "codes, mask, error, match",
    [
        (torch.randint(0, 16, (4, 9)), None, ValueError, "batch, num_quantizers, frames"),
        (torch.rand(1, 4, 9), None, TypeError, "integer"),
        (torch.randint(0, 16, (1, 5, 9)), None, ValueError, "quantizer rows"),
        (torch.randint(0, 16, (1, 4, 0)), None, ValueError, "empty"),
        (torch.full((1, 4, 9), 16), None, ValueError, r"\[0, 16\)"),
        (torch.full((1, 4, 9), -1), None, ValueError, r"\[0, 16\)"),
        (torch.randint(0, 16, (1, 4, 9)), torch.ones(1, 8, dtype=torch.long), ValueError, "shape"),
    ],
)
def test_decode_rejects(model, codes, mask, error, match):
    with pytest.raises(error, match=match):
        model.decode(codes, mask)


@torch.no_grad()
def test_decode_ignores_padding_values_outside_the_codebook(model):
    codes = torch.randint(0, 16, (2, 4, 9))
    mask = torch.ones(2, 9, dtype=torch.long)
    mask[1, 5:] = 0
    padded = codes.clone()
    padded[1, :, 5:] = -100  # a typical padding value
    torch.testing.assert_close(model.decode(codes, mask).audio_values, model.decode(padded, mask).audio_values)


def test_forward_refuses_audio_longer_than_a_window(model):
    too_long = torch.randn(1, 1, model.config.max_window_samples + 1)
    with pytest.raises(ValueError, match="encode\\(\\)/decode\\(\\)"):
        model(too_long)


@torch.no_grad()
def test_one_dimensional_input_is_one_item(model):
    clip = torch.randn(6000) * 0.1
    assert torch.equal(model.encode(clip).audio_codes, model.encode(clip[None, None]).audio_codes)
