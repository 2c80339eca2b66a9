from transformers import HfArgumentParser

from xy_tokenizer.training.discriminators import DiscriminatorConfig
from xy_tokenizer.training.losses import LossWeights, MelLossConfig


def test_configs_parse_together_from_the_command_line():
    parser = HfArgumentParser((MelLossConfig, DiscriminatorConfig, LossWeights))
    mel, discriminator, weights = parser.parse_args_into_dataclasses(
        args=[
            "--mel_max_frequency", "8000",
            "--mpd_periods", "2", "3",
            "--stft_band_edges", "0.0", "0.5", "1.0",
            "--adversarial_loss", "lsgan",
            "--stft_normalize_volume", "false",
            "--lambda_mel", "45",
        ]
    )
    assert mel.mel_max_frequency == 8000.0 and mel.mel_window_lengths[-1] == 2048
    assert discriminator.mpd_periods == [2, 3] and discriminator.stft_band_edges == [0.0, 0.5, 1.0]
    assert discriminator.adversarial_loss == "lsgan" and discriminator.stft_normalize_volume is False
    assert weights.lambda_mel == 45.0


def test_configs_parse_from_a_dict():
    parser = HfArgumentParser((DiscriminatorConfig, LossWeights))
    discriminator, weights = parser.parse_dict(
        {"discriminators": ["multi_scale"], "msd_num_scales": 2, "lambda_fm": 0.0}
    )
    assert discriminator.discriminators == ["multi_scale"] and weights["loss/fm"] == 0.0
