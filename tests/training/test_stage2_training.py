"""Stage 2 (post-training) smoke tests: two GAN steps of a tiny decoder against tiny discriminators."""

import math

import pytest
import torch
from training.tiny_training import changed, state_snapshot, tiny_trainer

FROZEN = (
    "codec.semantic_encoder.", "codec.semantic_encoder_adapter.", "codec.acoustic_encoder.", "codec.pre_rvq_adapter.",
    "codec.downsample.", "codec.quantizer.",
)  # fmt: skip
TRAINED = ("codec.post_rvq_adapter.", "codec.upsample.", "codec.acoustic_decoder.", "codec.vocos.")


@pytest.fixture(scope="module")
def stage2_run(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("stage2")
    trainer = tiny_trainer(tmp_path, stage=2)
    before = state_snapshot(trainer.model)
    discriminator_before = state_snapshot(trainer.adversarial)
    trainer.train()
    return trainer, before, discriminator_before


def test_losses_are_finite_and_logged_separately(stage2_run):
    trainer, _, _ = stage2_run
    logged = [entry for entry in trainer.state.log_history if "loss" in entry]
    assert len(logged) == 2
    for entry in logged:
        for name in ("loss/mel", "loss/adv", "loss/fm", "loss/disc", "loss/total"):
            assert math.isfinite(entry[name]), (name, entry)
        assert "loss/asr" not in entry and "vq/commitment" not in entry
        assert entry["loss/total"] == pytest.approx(
            45 * entry["loss/mel"] + entry["loss/adv"] + 2 * entry["loss/fm"], rel=1e-4
        )


def test_decoder_and_discriminators_train_encoder_and_codebooks_frozen(stage2_run):
    trainer, before, discriminator_before = stage2_run
    after = state_snapshot(trainer.model)
    for prefix in TRAINED:
        assert changed(before, after, prefix), f"nothing under {prefix} was trained"
    for prefix in FROZEN:  # includes the RVQ buffers: codebook, cluster_size, embed_avg, inited
        assert not changed(before, after, prefix), f"{prefix} changed: {changed(before, after, prefix)[:3]}"
    discriminator_after = state_snapshot(trainer.adversarial)
    # Every discriminator tensor moves, except possibly the output biases: while every logit lies within
    # the hinge margins their gradient is mean(1) - mean(1) = 0 exactly (whether one crosses a margin in
    # two steps depends on the float summation order, i.e. on the thread count).
    unchanged = set(discriminator_before) - set(changed(discriminator_before, discriminator_after))
    assert all(name.endswith("conv_post.bias") for name in unchanged), sorted(unchanged)


def test_quantizer_stays_in_eval_mode_while_training(stage2_run):
    trainer, _, _ = stage2_run
    trainer.model.train()
    assert not trainer.model.codec.quantizer.training
    assert trainer.model.codec.acoustic_decoder.training


def test_frozen_post_rvq_adapter_option(tmp_path):
    trainer = tiny_trainer(tmp_path, stage=2, max_steps=1, stage2_train_post_rvq_adapter=False)
    before = state_snapshot(trainer.model)
    trainer.train()
    after = state_snapshot(trainer.model)
    assert not changed(before, after, "codec.post_rvq_adapter.") and changed(before, after, "codec.vocos.")


def test_discriminators_do_not_train_in_stage1(tmp_path):
    trainer = tiny_trainer(tmp_path, stage=1, max_steps=1)
    assert trainer.adversarial is None and trainer.discriminator is None
    assert not any("discriminator" in name for name, _ in trainer.model.named_parameters())


def test_gradient_accumulation_is_refused_in_stage2(tmp_path):
    with pytest.raises(ValueError, match="gradient accumulation is not supported"):
        tiny_trainer(tmp_path, stage=2, gradient_accumulation_steps=2)


def test_weights_of_absent_terms_are_refused(tmp_path):
    with pytest.raises(ValueError, match="Stage 2 has no"):
        tiny_trainer(tmp_path, stage=2, lambda_asr=1.0)
    with pytest.raises(ValueError, match="Stage 1 has no"):
        tiny_trainer(tmp_path, stage=1, lambda_adv=1.0)


def test_gradient_accumulation_runs_in_stage1(tmp_path):
    """Stage 1 has one optimizer, so the Trainer's accumulation applies unchanged: 2 micro-batches per step.

    (It is not bit-equal to one batch twice as large: the k-means init, the EMA codebook statistics and
    the per-batch loss means all see the batch as a unit.)"""
    trainer = tiny_trainer(tmp_path, stage=1, max_steps=1, gradient_accumulation_steps=2, per_device_train_batch_size=1)
    before = state_snapshot(trainer.model.codec.vocos)
    trainer.train()
    assert trainer.state.global_step == 1
    assert changed(before, state_snapshot(trainer.model.codec.vocos))


@pytest.mark.parametrize("stage", [1, 2])
def test_bf16_autocast_step_on_cpu(tmp_path, stage):
    """bf16 autocast (CPU here, GPU in real runs): the RVQ and ISTFT stay float32, losses stay finite."""
    trainer = tiny_trainer(tmp_path, stage=stage, max_steps=1, bf16=True)
    before = state_snapshot(trainer.model)
    trainer.train()
    entry = next(entry for entry in trainer.state.log_history if "loss/total" in entry)
    assert math.isfinite(entry["loss/total"])
    after = state_snapshot(trainer.model)
    assert changed(before, after, "codec.vocos.")
    assert all(value.dtype != torch.bfloat16 for value in after.values())  # float32 master weights and buffers


def training_entries(trainer) -> list[dict]:
    return [entry for entry in trainer.state.log_history if "loss" in entry]


def test_adversarial_start_step_delays_discriminators_and_adversarial_terms(tmp_path):
    trainer = tiny_trainer(tmp_path, stage=2, max_steps=2, logging_steps=1, adversarial_start_step=2)
    discriminator_before = state_snapshot(trainer.adversarial)
    trainer.train()
    assert not changed(discriminator_before, state_snapshot(trainer.adversarial))
    for entry in training_entries(trainer):
        assert "loss/disc" not in entry and "loss/adv" not in entry
        assert entry["loss/total"] == pytest.approx(45 * entry["loss/mel"], rel=1e-4)


def test_discriminator_warm_up_trains_discriminators_before_the_generator_sees_them(tmp_path):
    trainer = tiny_trainer(
        tmp_path, stage=2, max_steps=3, logging_steps=1, adversarial_start_step=2, discriminator_start_step=0
    )
    discriminator_before = state_snapshot(trainer.adversarial)
    trainer.train()
    assert changed(discriminator_before, state_snapshot(trainer.adversarial))
    warm_up, warm_up_2, adversarial = training_entries(trainer)
    for entry in (warm_up, warm_up_2):
        assert math.isfinite(entry["loss/disc"]) and "loss/adv" not in entry and "loss/fm" not in entry
        assert entry["loss/total"] == pytest.approx(45 * entry["loss/mel"], rel=1e-4)
    assert math.isfinite(adversarial["loss/disc"]) and math.isfinite(adversarial["loss/adv"])


def test_discriminator_start_after_adversarial_start_is_refused(tmp_path):
    with pytest.raises(ValueError, match="discriminator_start_step must be between 0 and adversarial_start_step"):
        tiny_trainer(tmp_path, stage=2, adversarial_start_step=1, discriminator_start_step=2)
