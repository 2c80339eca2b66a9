import pytest
import torch

from xy_tokenizer.training.adversarial import AdversarialLoss
from xy_tokenizer.training.losses import hinge_discriminator_loss, lsgan_generator_loss

SAMPLING_RATES = (16000, 24000, 32000)


def _audio(batch_size=2, samples=1601):
    real = torch.randn(batch_size, 1, samples) * 0.3
    return real, real + 0.2 * torch.randn_like(real)


@pytest.mark.parametrize("sampling_rate", SAMPLING_RATES)
def test_both_sides_at_every_rate(tiny_discriminator_config, sampling_rate):
    adversarial = AdversarialLoss(tiny_discriminator_config, sampling_rate)
    real, fake = _audio(samples=sampling_rate // 10 + 1)
    d_loss = adversarial.discriminator_loss(real, fake)
    g_losses = adversarial.generator_losses(real, fake)
    assert d_loss.dim() == 0 and torch.isfinite(d_loss)
    assert set(g_losses) == {"loss/adv", "loss/fm"}
    assert all(value.dim() == 0 and torch.isfinite(value) for value in g_losses.values())


def test_discriminator_loss_trains_only_the_discriminator(tiny_discriminator_config):
    adversarial = AdversarialLoss(tiny_discriminator_config, 16000)
    real, fake = _audio()
    fake.requires_grad_(True)
    adversarial.discriminator_loss(real, fake).backward()
    assert fake.grad is None
    assert all(p.grad is not None for p in adversarial.parameters())


def test_generator_losses_train_only_the_generator(tiny_discriminator_config):
    adversarial = AdversarialLoss(tiny_discriminator_config, 16000)
    real, fake = _audio()
    fake.requires_grad_(True)
    g_losses = adversarial.generator_losses(real, fake)
    sum(g_losses.values()).backward()
    assert torch.isfinite(fake.grad).all() and fake.grad.abs().sum() > 0
    assert all(p.grad is None for p in adversarial.parameters())
    assert all(p.requires_grad for p in adversarial.parameters())  # restored after the call


def test_feature_matching_of_real_against_itself_is_zero(tiny_discriminator_config):
    adversarial = AdversarialLoss(tiny_discriminator_config, 16000).eval()
    real, _ = _audio()
    assert adversarial.generator_losses(real, real.clone())["loss/fm"].item() == 0.0


def test_losses_follow_the_configured_formulation(make_tiny_config):
    adversarial = AdversarialLoss(make_tiny_config(adversarial_loss="lsgan", sub_discriminator_reduction="mean"), 16000)
    adversarial.eval()
    real, fake = _audio()
    logits, _ = adversarial.discriminator(fake)
    expected = sum(lsgan_generator_loss(item) for item in logits) / len(logits)
    torch.testing.assert_close(adversarial.generator_losses(real, fake)["loss/adv"], expected)

    adversarial = AdversarialLoss(make_tiny_config(), 16000).eval()
    real_logits, _ = adversarial.discriminator(real)
    fake_logits, _ = adversarial.discriminator(fake)
    expected = sum(hinge_discriminator_loss(r, f) for r, f in zip(real_logits, fake_logits))
    torch.testing.assert_close(adversarial.discriminator_loss(real, fake), expected, atol=1e-5, rtol=1e-5)


def test_padding_mask_excludes_tail(tiny_discriminator_config):
    adversarial = AdversarialLoss(tiny_discriminator_config, 16000).eval()
    real, fake = _audio(batch_size=2, samples=1601)
    mask = torch.ones(2, 1601, dtype=torch.bool)
    mask[1, 1000:] = False
    tail = ~mask.unsqueeze(1)
    other_real = torch.where(tail, torch.randn_like(real), real)
    other_fake = torch.where(tail, torch.randn_like(fake) * 5, fake)

    torch.testing.assert_close(
        adversarial.discriminator_loss(real, fake, mask), adversarial.discriminator_loss(other_real, other_fake, mask)
    )
    first = adversarial.generator_losses(real, fake, mask)
    second = adversarial.generator_losses(other_real, other_fake, mask)
    for name in first:
        torch.testing.assert_close(first[name], second[name])
    assert adversarial.generator_losses(other_real, other_fake)["loss/fm"] != first["loss/fm"]


def test_state_dict_round_trip(tiny_discriminator_config):
    source = AdversarialLoss(tiny_discriminator_config, 24000)
    real, fake = _audio()
    source.discriminator_loss(real, fake)  # advance spectral-norm state so it must be restored too
    torch.manual_seed(123)
    restored = AdversarialLoss(tiny_discriminator_config, 24000)
    restored.load_state_dict(source.state_dict())
    source.eval(), restored.eval()
    expected_d, actual_d = source.discriminator_loss(real, fake), restored.discriminator_loss(real, fake)
    torch.testing.assert_close(actual_d, expected_d, atol=0, rtol=0)
    expected, actual = source.generator_losses(real, fake), restored.generator_losses(real, fake)
    for name in expected:
        torch.testing.assert_close(actual[name], expected[name], atol=0, rtol=0)
    assert all(key.startswith("discriminator.discriminators.") for key in source.state_dict())


def test_discriminator_steps_lower_its_loss(make_tiny_config):
    adversarial = AdversarialLoss(make_tiny_config(discriminators=["multi_period"]), 16000)
    optimizer = torch.optim.Adam(adversarial.parameters(), lr=1e-3)
    real, fake = _audio()
    fake = fake + 0.5 * torch.sin(torch.arange(fake.shape[-1]) * 0.3)  # an easy-to-spot artefact
    first = adversarial.discriminator_loss(real, fake).item()
    for _ in range(20):
        optimizer.zero_grad()
        adversarial.discriminator_loss(real, fake).backward()
        optimizer.step()
    assert adversarial.discriminator_loss(real, fake).item() < first


def test_mismatched_inputs_raise(tiny_discriminator_config):
    adversarial = AdversarialLoss(tiny_discriminator_config, 16000)
    real, fake = _audio()
    with pytest.raises(ValueError, match="same shape"):
        adversarial.discriminator_loss(real, fake[..., :-3])
    with pytest.raises(ValueError, match="padding_mask"):
        adversarial.generator_losses(real, fake, torch.ones(2, 10))
