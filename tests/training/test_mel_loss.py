import pytest
import torch

from xy_tokenizer.training.losses import MelLossConfig, MultiScaleMelLoss, mel_filter_bank

SAMPLING_RATES = (16000, 24000, 32000)


def _pair(sampling_rate, batch_size=2, seconds=0.25, noise=0.1):
    target = torch.randn(batch_size, 1, int(sampling_rate * seconds)) * 0.3
    return target + noise * torch.randn_like(target), target


@pytest.mark.parametrize(
    "n_fft,num_mels,sampling_rate", [(32, 5, 16000), (2048, 320, 16000), (768, 80, 24000), (4096, 320, 32000)]
)
def test_filter_bank_matches_transformers(n_fft, num_mels, sampling_rate):
    audio_utils = pytest.importorskip("transformers.audio_utils")
    reference = audio_utils.mel_filter_bank(
        n_fft // 2 + 1, num_mels, 0.0, sampling_rate / 2, sampling_rate, norm="slaney", mel_scale="slaney"
    )
    ours = mel_filter_bank(n_fft, num_mels, sampling_rate)
    assert ours.shape == (num_mels, n_fft // 2 + 1)
    torch.testing.assert_close(ours, torch.from_numpy(reference.T).float(), atol=1e-7, rtol=1e-5)


@pytest.mark.parametrize("sampling_rate", SAMPLING_RATES)
def test_signal_against_itself_is_zero(sampling_rate):
    loss = MultiScaleMelLoss(sampling_rate, MelLossConfig(mel_magnitude_weight=1.0))
    _, target = _pair(sampling_rate)
    assert loss(target, target.clone()).item() == 0.0


@pytest.mark.parametrize("sampling_rate", SAMPLING_RATES)
def test_loss_grows_with_noise(sampling_rate):
    loss = MultiScaleMelLoss(sampling_rate)
    target = torch.randn(2, 1, sampling_rate // 4) * 0.3
    noise = torch.randn_like(target)
    values = [loss(target + level * noise, target).item() for level in (0.001, 0.01, 0.1, 1.0)]
    assert all(a < b for a, b in zip(values, values[1:])), values


def test_gradient_reaches_prediction():
    loss = MultiScaleMelLoss(16000, MelLossConfig(mel_magnitude_weight=1.0))
    prediction, target = _pair(16000)
    prediction.requires_grad_(True)
    loss(prediction, target).backward()
    assert torch.isfinite(prediction.grad).all() and prediction.grad.abs().sum() > 0


def test_padding_mask_excludes_tail():
    loss = MultiScaleMelLoss(16000, MelLossConfig(mel_magnitude_weight=1.0))
    prediction, target = _pair(16000, batch_size=3, seconds=0.2)
    lengths = torch.tensor([3200, 2001, 977])
    mask = torch.arange(3200).unsqueeze(0) < lengths.unsqueeze(1)  # (3, 3200)
    reference = loss(prediction, target, mask)

    tail = ~mask.unsqueeze(1)
    changed_prediction = torch.where(tail, torch.randn_like(prediction) * 10, prediction)
    changed_target = torch.where(tail, torch.full_like(target, float("nan")), target)
    assert loss(changed_prediction, changed_target, mask).item() == pytest.approx(reference.item(), abs=0)
    # Without the mask the garbage tail does count.
    assert loss(changed_prediction, target).item() > loss(prediction, target).item()


def test_padded_item_equals_item_alone():
    loss = MultiScaleMelLoss(16000)
    prediction, target = _pair(16000, batch_size=1, seconds=0.1)
    alone = loss(prediction, target)
    padded_prediction = torch.nn.functional.pad(prediction, (0, 1234), value=0.5)
    padded_target = torch.nn.functional.pad(target, (0, 1234))
    mask = torch.zeros(1, padded_target.shape[-1], dtype=torch.bool)
    mask[:, : target.shape[-1]] = True
    torch.testing.assert_close(loss(padded_prediction, padded_target, mask), alone)


def test_short_clip_and_autocast_stay_fp32():
    loss = MultiScaleMelLoss(16000)
    prediction, target = _pair(16000, seconds=0.01)  # 160 samples < half of the 2048 window
    plain = loss(prediction, target)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        autocast = loss(prediction.bfloat16(), target.bfloat16())
    assert autocast.dtype == torch.float32
    assert torch.isfinite(plain) and autocast.item() == pytest.approx(plain.item(), rel=0.05)


def test_no_state_in_checkpoint():
    assert MultiScaleMelLoss(24000).state_dict() == {}


def test_bad_inputs_raise():
    loss = MultiScaleMelLoss(16000)
    audio = torch.randn(2, 1, 800)
    with pytest.raises(ValueError, match="shape"):
        loss(audio[:, 0], audio[:, 0])
    with pytest.raises(ValueError, match="same shape"):
        loss(audio, audio[..., :-1])
    with pytest.raises(ValueError, match="padding_mask"):
        loss(audio, audio, torch.ones(2, 1, 800))
    with pytest.raises(ValueError, match="equal length"):
        MelLossConfig(mel_window_lengths=[64, 128], mel_num_mels=[10])
    with pytest.raises(ValueError, match="Nyquist"):
        MultiScaleMelLoss(16000, MelLossConfig(mel_max_frequency=12000.0))
