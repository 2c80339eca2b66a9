"""Fixtures of the datasets tests: a tiny model saved and loaded back, real clips and their codes."""

from pathlib import Path

import numpy as np
import pytest
from helpers import make_tiny_model

from dataset_builders import (
    CLIP_16K,
    MIXED_LENGTHS,
    crops,
    encode_alone,
    flac_bytes,
    one_torch_thread,
    read_flac,
)

from xy_tokenizer.audio_io import load_audio
from xy_tokenizer.modeling_xy_tokenizer import XYTokenizerModel


@pytest.fixture(autouse=True, scope="module")
def _one_torch_thread():
    with one_torch_thread():
        yield


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory) -> Path:
    """A tiny model saved with save_pretrained (the folder a user loads)."""
    folder = tmp_path_factory.mktemp("tiny_model")
    make_tiny_model(seed=1).save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def model(model_dir) -> XYTokenizerModel:
    """Loaded back with from_pretrained. Shared: tests that patch or move a model use `fresh_model`."""
    return XYTokenizerModel.from_pretrained(model_dir).eval()


@pytest.fixture
def fresh_model(model_dir) -> XYTokenizerModel:
    return XYTokenizerModel.from_pretrained(model_dir).eval()


@pytest.fixture(scope="session")
def speech_16k() -> np.ndarray:
    return load_audio(CLIP_16K, 16000)


@pytest.fixture(scope="session")
def mixed_clips(speech_16k) -> list[np.ndarray]:
    """Real speech crops of MIXED_LENGTHS samples, quantised to 24-bit as the FLAC cells store them."""
    return [read_flac(flac_bytes(clip, 16000)) for clip in crops(speech_16k, MIXED_LENGTHS)]


@pytest.fixture(scope="session")
def mixed_codes(model, mixed_clips) -> list[np.ndarray]:
    """Each mixed clip encoded alone: the reference every dataset path must reproduce exactly."""
    with one_torch_thread():
        return [encode_alone(model, clip) for clip in mixed_clips]
