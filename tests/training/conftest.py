"""Shared fixtures for the training tests: seeding and tiny discriminator sizes."""

import pytest
import torch

from xy_tokenizer.training.discriminators import DiscriminatorConfig

@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)


def make_tiny_discriminator_config(**overrides) -> DiscriminatorConfig:
    """All three discriminators, a few channels each; FFT sizes small enough for 0.1 s clips."""
    values = dict(
        discriminators=["multi_period", "multi_resolution_stft", "multi_scale"],
        mpd_periods=[2, 3, 5],
        mpd_channels=[4, 8, 8],
        stft_fft_sizes=[128, 64],
        stft_channels=4,
        stft_num_strided_layers=2,
        stft_band_edges=[0.0, 0.25, 1.0],
        msd_num_scales=2,
        msd_channels=[4, 8, 8],
        msd_kernel_sizes=[7, 11, 3],
        msd_strides=[1, 2, 1],
        msd_groups=[1, 2, 1],
    )
    values.update(overrides)
    return DiscriminatorConfig(**values)


@pytest.fixture
def tiny_discriminator_config() -> DiscriminatorConfig:
    return make_tiny_discriminator_config()


@pytest.fixture
def make_tiny_config():
    """Factory: ``make_tiny_config(**overrides)`` -> tiny :class:`DiscriminatorConfig`."""
    return make_tiny_discriminator_config
