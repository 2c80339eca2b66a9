"""A training checkpoint is a normal generator folder: AutoModel loads it, without discriminators."""

import numpy as np
import torch
from training.tiny_training import state_snapshot, tiny_trainer
from transformers import AutoModel

from xy_tokenizer.training.checkpointing import DISCRIMINATOR_WEIGHTS_NAME, TRAINING_MODULES_NAME


def test_stage2_checkpoint_loads_with_automodel_and_reproduces_the_generator(tmp_path):
    trainer = tiny_trainer(tmp_path, stage=2, max_steps=1, save_strategy="steps", save_steps=1, num_sample_clips=1)
    trainer.train()
    checkpoint = tmp_path / "run-stage2" / "checkpoint-1"
    assert (checkpoint / DISCRIMINATOR_WEIGHTS_NAME).is_file()
    loaded = AutoModel.from_pretrained(checkpoint, trust_remote_code=True).eval()
    assert type(loaded).__name__ == "XYTokenizerModel"
    assert not any("discriminator" in name for name in loaded.state_dict())
    codec = trainer.model.codec.eval()
    expected = state_snapshot(codec)
    assert expected.keys() == loaded.state_dict().keys()
    assert all(torch.equal(expected[name], value) for name, value in loaded.state_dict().items())
    audio = torch.randn(1, 1, 6 * 1280) * 0.1
    with torch.no_grad():
        torch.testing.assert_close(loaded(input_values=audio).audio_values, codec(input_values=audio).audio_values)
    # Samples are written at each save (sample_steps = 0): audio pair + mel PNG per clip.
    samples = tmp_path / "run-stage2" / "samples" / "step-0000001"
    assert sorted(path.name for path in samples.iterdir()) == [
        "clip0_mel.png", "clip0_original.wav", "clip0_reconstruction.wav"
    ]  # fmt: skip


def test_stage1_checkpoint_keeps_the_llm_adapter_apart(tmp_path):
    trainer = tiny_trainer(tmp_path, stage=1, max_steps=1, save_strategy="steps", save_steps=1)
    trainer.train()
    checkpoint = tmp_path / "run-stage1" / "checkpoint-1"
    from safetensors.torch import load_file

    adapter = load_file(checkpoint / TRAINING_MODULES_NAME)
    assert adapter and all(name.startswith("transcription.adapter.") for name in adapter)
    loaded = AutoModel.from_pretrained(checkpoint, trust_remote_code=True)
    assert all(bool(stage.inited) for stage in loaded.quantizer.quantizers)
    codebook = trainer.model.codec.quantizer.quantizers[0].codebook
    np.testing.assert_array_equal(loaded.quantizer.quantizers[0].codebook.numpy(), codebook.numpy())
