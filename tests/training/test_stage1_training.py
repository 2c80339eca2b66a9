"""Stage 1 (pre-training) smoke tests: two optimizer steps of a tiny codec + tiny LLM."""

import math

import pytest
import torch
from training.tiny_training import changed, state_snapshot, tiny_trainer


@pytest.fixture(scope="module")
def stage1_run(tmp_path_factory):
    """Two steps; returns the trainer and the state before/after."""
    tmp_path = tmp_path_factory.mktemp("stage1")
    trainer = tiny_trainer(tmp_path, stage=1)
    codebook_before = trainer.model.codec.quantizer.quantizers[0].codebook.clone()
    before = state_snapshot(trainer.model)
    trainer.train()
    return trainer, before, codebook_before


def test_losses_are_finite_and_logged_separately(stage1_run):
    trainer, _, _ = stage1_run
    logged = [entry for entry in trainer.state.log_history if "loss" in entry]
    assert len(logged) == 2
    for entry in logged:
        for name in ("loss/mel", "loss/asr", "vq/commitment", "loss/total", "vq/commitment_stage0"):
            assert math.isfinite(entry[name]), (name, entry)
        assert entry["loss/total"] == pytest.approx(
            15 * entry["loss/mel"] + entry["loss/asr"] + entry["vq/commitment"], rel=1e-4
        )


def test_trainable_weights_change_and_frozen_ones_do_not(stage1_run):
    trainer, before, _ = stage1_run
    after = state_snapshot(trainer.model)
    for prefix in (
        "codec.acoustic_encoder.", "codec.semantic_encoder_adapter.", "codec.pre_rvq_adapter.", "codec.downsample.",
        "codec.quantizer.input_proj.", "codec.post_rvq_adapter.", "codec.acoustic_decoder.", "codec.vocos.",
        "transcription.adapter.",
    ):  # fmt: skip
        assert changed(before, after, prefix), f"nothing under {prefix} was trained"
    assert not changed(before, after, "codec.semantic_encoder."), "the semantic encoder must stay frozen"
    assert not changed(before, after, "transcription.llm."), "the LLM must stay frozen"


def test_kmeans_initialises_codebooks_in_one_process(stage1_run):
    trainer, _, codebook_before = stage1_run
    quantizers = trainer.model.codec.quantizer.quantizers
    assert all(bool(stage.inited) for stage in quantizers)
    codebook = quantizers[0].codebook
    assert not torch.equal(codebook, codebook_before)
    assert torch.isfinite(codebook).all() and codebook.abs().sum() > 0
    # k-means centres (not one zero placeholder as in the reference's single-process path): distinct rows.
    assert torch.unique(codebook, dim=0).shape[0] > 1


def test_semantic_encoder_is_initialised_from_whisper(tmp_path):
    from transformers import AutoModel

    trainer = tiny_trainer(tmp_path, stage=1)
    whisper = AutoModel.from_pretrained(trainer.args.output_dir.replace("run-stage1", "assets") + "/whisper-d32-l1")
    expected = whisper.encoder.layers[0].fc1.weight
    assert torch.equal(trainer.model.codec.semantic_encoder.layers[0].fc1.weight, expected)
    assert torch.equal(trainer.model.codec.acoustic_encoder.layers[0].fc1.weight, expected)
