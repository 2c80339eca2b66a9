"""The converted original checkpoints reproduce the ORIGINAL implementation's outputs.

Golden data: tests/data/parity (see its README). Codes must match exactly; audio within
AUDIO_TOLERANCE of the original's decode of each item alone (float32, CPU). Measured: ≤ 1.3e-7.
"""

import numpy as np
import pytest
import torch
from helpers import DATA_DIR, pad_batch

from xy_tokenizer.configuration_xy_tokenizer import XYTokenizerConfig
from xy_tokenizer.conversion import convert_checkpoint
from xy_tokenizer.feature_extraction_xy_tokenizer import XYTokenizerFeatureExtractor
from xy_tokenizer.modeling_xy_tokenizer import XYTokenizerLogMelSpectrogram, XYTokenizerModel

AUDIO_TOLERANCE = 1e-5
MEL_TOLERANCE = 1e-4  # the original's numpy/float32 STFT rounds differently (measured ≤ 2.7e-5)
PARITY = DATA_DIR / "parity"
VARIANTS = {"16k": 1280, "24k": 1920, "32k": 2560}


@pytest.fixture(scope="module")
def inputs():
    arrays = np.load(PARITY / "inputs.npz")
    return [torch.from_numpy(arrays[f"wav_b{i}"]) for i in range(3)]


@pytest.fixture(scope="module", params=sorted(VARIANTS))
def converted(request, tmp_path_factory):
    """(variant, model loaded from the converted folder, expected arrays)."""
    variant = request.param
    folder = convert_checkpoint(
        PARITY / variant / "generator.ckpt", PARITY / variant / "config.yaml", tmp_path_factory.mktemp(variant) / "model"
    )
    model = XYTokenizerModel.from_pretrained(folder).eval()
    return variant, model, np.load(PARITY / variant / "expected.npz")


@torch.no_grad()
def test_codes_match_original_exactly(converted, inputs):
    _, model, expected = converted
    values, mask = pad_batch(inputs)
    out = model.encode(values, mask, windowing="original")
    for i in range(3):
        reference = torch.from_numpy(expected[f"codes_b{i}"].astype(np.int64))
        assert int(out.audio_codes_mask[i].sum()) == reference.shape[-1]
        assert torch.equal(out.audio_codes[i, :, : reference.shape[-1]], reference)
    # Clips under 20 s: the default windowing computes the same single window.
    assert torch.equal(model.encode(values, mask).audio_codes, out.audio_codes)


@torch.no_grad()
def test_audio_matches_original_single_item_decode(converted):
    variant, model, expected = converted
    codes = [torch.from_numpy(expected[f"codes_b{i}"].astype(np.int64)) for i in range(3)]
    frames = max(c.shape[-1] for c in codes)
    batch = torch.zeros(3, 8, frames, dtype=torch.long)
    mask = torch.zeros(3, frames, dtype=torch.long)
    for i, c in enumerate(codes):
        batch[i, :, : c.shape[-1]] = c
        mask[i, : c.shape[-1]] = 1
    out = model.decode(batch, mask)
    for i, c in enumerate(codes):
        reference = torch.from_numpy(expected[f"syn_single_b{i}"])
        assert reference.shape[-1] == c.shape[-1] * VARIANTS[variant]
        assert int(out.padding_mask[i].sum()) == reference.shape[-1]
        torch.testing.assert_close(out.audio_values[i, 0, : reference.shape[-1]], reference, atol=AUDIO_TOLERANCE, rtol=0)


@torch.no_grad()
def test_log_mel_matches_original(inputs):
    """Both log-mel paths (feature extractor, numpy; model, torch) give the original's numbers."""
    expected = np.load(PARITY / "16k" / "expected.npz")
    features = XYTokenizerFeatureExtractor()([c.numpy() for c in inputs], sampling_rate=16000, return_log_mel=True)
    values, mask = pad_batch(inputs)
    log_mel = XYTokenizerLogMelSpectrogram(XYTokenizerConfig())
    log_mel.reset_buffers()
    internal, _ = log_mel(values[:, 0], mask.sum(-1))
    for i in range(3):
        reference = expected[f"mel_b{i}"]  # valid frames + the one after them that the encoders read
        frames = reference.shape[-1]
        np.testing.assert_allclose(features["input_features"][i][:, :frames], reference, atol=MEL_TOLERANCE, rtol=0)
        np.testing.assert_allclose(internal[i, :, :frames].numpy(), reference, atol=MEL_TOLERANCE, rtol=0)
