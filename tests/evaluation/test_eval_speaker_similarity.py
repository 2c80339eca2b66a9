"""Speaker similarity with a stand-in model and with the offline Resemblyzer default."""

from __future__ import annotations

import numpy as np
import pytest

from xy_tokenizer.evaluation import (
    MissingDependencyError,
    ResemblyzerSpeakerModel,
    SpeakerModel,
    cosine_similarity,
    resample,
    speaker_similarity,
)


class SpectralShapeModel:
    """Toy speaker model: normalised long-term magnitude spectrum (deterministic, no weights)."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    def embed(self, waveform: np.ndarray, sampling_rate: int) -> np.ndarray:
        self.calls.append(sampling_rate)
        frames = waveform[: len(waveform) // 512 * 512].reshape(-1, 512)
        return np.abs(np.fft.rfft(frames, axis=-1)).mean(axis=0)


def test_cosine_similarity_basics():
    assert cosine_similarity([1.0, 0.0], [2.0, 0.0]) == pytest.approx(1.0)
    assert cosine_similarity([1.0, 0.0], [0.0, 3.0]) == pytest.approx(0.0)
    assert cosine_similarity([1.0, 2.0], [-1.0, -2.0]) == pytest.approx(-1.0)
    with pytest.raises(ValueError, match="zero"):
        cosine_similarity([0.0, 0.0], [1.0, 0.0])
    with pytest.raises(ValueError, match="shape"):
        cosine_similarity([1.0, 0.0], [1.0, 0.0, 0.0])


def test_pluggable_model_identical_is_one_and_noise_lowers_it(speech_16k, add_noise):
    waveform, sampling_rate = speech_16k
    model = SpectralShapeModel()
    assert isinstance(model, SpeakerModel)
    assert speaker_similarity(waveform, waveform, sampling_rate, speaker_model=model) == pytest.approx(1.0)
    assert speaker_similarity(waveform, add_noise(waveform, 0.0), sampling_rate, speaker_model=model) < 0.99
    assert model.calls == [sampling_rate] * 4


def test_speaker_model_without_embed_is_rejected(speech_16k):
    waveform, sampling_rate = speech_16k
    with pytest.raises(TypeError, match="embed"):
        speaker_similarity(waveform, waveform, sampling_rate, speaker_model=object())


@pytest.fixture(scope="module")
def resemblyzer_model():
    try:
        return ResemblyzerSpeakerModel()
    except MissingDependencyError as error:
        pytest.skip(str(error))


def test_resemblyzer_loads_offline_and_ranks_speakers(resemblyzer_model, speech_16k, speech_24k, add_noise):
    waveform, sampling_rate = speech_16k
    embedding = resemblyzer_model.embed(waveform, sampling_rate)
    assert embedding.shape == (256,)
    assert np.linalg.norm(embedding) == pytest.approx(1.0, abs=1e-5)
    same = speaker_similarity(waveform, waveform, sampling_rate, speaker_model=resemblyzer_model)
    noisy = speaker_similarity(waveform, add_noise(waveform, 10.0), sampling_rate, speaker_model=resemblyzer_model)
    other_speaker = resample(*speech_24k, sampling_rate)
    other = cosine_similarity(embedding, resemblyzer_model.embed(other_speaker, sampling_rate))
    assert same == pytest.approx(1.0, abs=1e-6)
    assert same > noisy
    assert same > other
