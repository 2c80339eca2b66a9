import pytest
import torch
from torch.nn.utils import parametrize

from xy_tokenizer.training.discriminators import (
    CombinedDiscriminator,
    DiscriminatorConfig,
    MultiPeriodDiscriminator,
    MultiResolutionSTFTDiscriminator,
    MultiScaleDiscriminator,
    build_discriminator,
)

SAMPLING_RATES = (16000, 24000, 32000)
EXPECTED_COUNTS = {"multi_period": 3, "multi_resolution_stft": 2, "multi_scale": 2}  # from the tiny config


def _check_output(logits, features, batch_size, count):
    assert len(logits) == len(features) == count
    for item_logits, item_features in zip(logits, features):
        assert item_logits.dim() == 2 and item_logits.shape[0] == batch_size and item_logits.shape[1] > 0
        assert item_features and all(f.shape[0] == batch_size for f in item_features)
        assert torch.isfinite(item_logits).all()


@pytest.mark.parametrize("sampling_rate", SAMPLING_RATES)
@pytest.mark.parametrize("name", list(EXPECTED_COUNTS))
@pytest.mark.parametrize("samples", [1999, 2048])
def test_output_counts_and_shapes(tiny_discriminator_config, name, sampling_rate, samples):
    discriminator = build_discriminator(name, tiny_discriminator_config, sampling_rate)
    logits, features = discriminator(torch.randn(3, 1, samples))
    _check_output(logits, features, batch_size=3, count=EXPECTED_COUNTS[name])


def test_combined_concatenates_in_config_order(tiny_discriminator_config):
    combined = CombinedDiscriminator(tiny_discriminator_config, 16000)
    audio = torch.randn(2, 1, 1601)
    logits, features = combined(audio)
    _check_output(logits, features, batch_size=2, count=sum(EXPECTED_COUNTS.values()))
    first_logits, _ = combined.discriminators["multi_period"](audio)
    for combined_item, own_item in zip(logits, first_logits):
        torch.testing.assert_close(combined_item, own_item)


@pytest.mark.parametrize("name", list(EXPECTED_COUNTS))
def test_batch_invariance(tiny_discriminator_config, name):
    # eval(): spectral norm's power iteration would otherwise update between the two calls.
    discriminator = build_discriminator(name, tiny_discriminator_config, 16000).eval()
    batch = torch.randn(3, 1, 1777)
    batch_logits, batch_features = discriminator(batch)
    for index in range(3):
        item_logits, item_features = discriminator(batch[index : index + 1])
        for from_batch, alone in zip(batch_logits, item_logits):
            torch.testing.assert_close(from_batch[index : index + 1], alone, atol=1e-5, rtol=1e-4)
        for from_batch, alone in zip(batch_features[-1], item_features[-1]):
            torch.testing.assert_close(from_batch[index : index + 1], alone, atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize("name", list(EXPECTED_COUNTS))
def test_gradient_reaches_audio(tiny_discriminator_config, name):
    discriminator = build_discriminator(name, tiny_discriminator_config, 24000)
    audio = torch.randn(2, 1, 1500, requires_grad=True)
    logits, _ = discriminator(audio)
    sum(item.mean() for item in logits).backward()
    assert torch.isfinite(audio.grad).all() and audio.grad.abs().sum() > 0


def test_default_multi_period_architecture():
    discriminator = MultiPeriodDiscriminator(DiscriminatorConfig())
    assert discriminator.periods == [2, 3, 5, 7, 11]
    convs = discriminator.discriminators[0].convs
    assert [conv.out_channels for conv in convs] == [32, 128, 512, 1024, 1024]
    assert [conv.stride for conv in convs] == [(3, 1)] * 4 + [(1, 1)]
    assert all(conv.kernel_size == (5, 1) for conv in convs)
    assert all(parametrize.is_parametrized(conv, "weight") for conv in convs)
    assert discriminator.discriminators[0].conv_post.out_channels == 1


@pytest.mark.parametrize(
    "sampling_rate,expected", [(16000, [2048, 1024, 512]), (24000, [3072, 1536, 768]), (32000, [4096, 2048, 1024])]
)
def test_stft_sizes_scale_with_sampling_rate(sampling_rate, expected):
    config = DiscriminatorConfig(stft_channels=2)
    assert MultiResolutionSTFTDiscriminator(config, sampling_rate).fft_sizes == expected


def test_multi_scale_first_scale_uses_spectral_norm(tiny_discriminator_config):
    discriminator = MultiScaleDiscriminator(tiny_discriminator_config)
    first, second = discriminator.discriminators[0].convs[0], discriminator.discriminators[1].convs[0]
    assert hasattr(first.parametrizations.weight[0], "_u")  # spectral norm keeps a power-iteration vector
    assert not hasattr(second.parametrizations.weight[0], "_u")


def test_bad_inputs_and_configs_raise(tiny_discriminator_config, make_tiny_config):
    discriminator = MultiPeriodDiscriminator(tiny_discriminator_config)
    with pytest.raises(ValueError, match="mono"):
        discriminator(torch.randn(2, 2, 100))
    with pytest.raises(ValueError, match="largest period"):
        discriminator(torch.randn(2, 1, 5))
    with pytest.raises(ValueError, match="discriminators"):
        make_tiny_config(discriminators=["multi_band"])
    with pytest.raises(ValueError, match="stft_band_edges"):
        make_tiny_config(stft_band_edges=[0.0, 0.6, 0.5, 1.0])
    with pytest.raises(ValueError, match="groups"):
        make_tiny_config(msd_groups=[1, 3, 1])
    with pytest.raises(ValueError, match="too few"):
        MultiResolutionSTFTDiscriminator(make_tiny_config(stft_fft_sizes=[4], stft_band_edges=[0.0, 0.1, 1.0]), 16000)
