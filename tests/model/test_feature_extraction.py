"""XYTokenizerFeatureExtractor: input forms, errors, padding, log-mel = the model's, datasets .map."""

import numpy as np
import pytest
import soundfile
import torch
from helpers import DATA_DIR, make_tiny_model

from xy_tokenizer.feature_extraction_xy_tokenizer import XYTokenizerFeatureExtractor


@pytest.fixture(scope="module")
def extractor():
    return XYTokenizerFeatureExtractor()


@pytest.fixture(scope="module")
def speech():
    audio, rate = soundfile.read(DATA_DIR / "speech" / "xy_2.flac", dtype="float32")
    assert rate == 16000
    return audio


def test_single_and_batch_shapes(extractor, speech):
    single = extractor(speech, sampling_rate=16000, return_tensors="pt")
    assert single["input_values"].shape == (1, 1, len(speech)) and single["padding_mask"].shape == (1, len(speech))
    batch = extractor([speech, speech[:5000]], sampling_rate=16000, return_tensors="np")
    assert batch["input_values"].shape == (2, 1, len(speech))  # padded to the longest, not to 30 s
    assert batch["padding_mask"].sum(-1).tolist() == [len(speech), 5000]
    assert np.all(batch["input_values"][1, 0, 5000:] == 0)
    as_lists = extractor([speech[:100], speech[:50]], sampling_rate=16000)
    assert len(as_lists["input_values"]) == 2


def test_input_forms_give_identical_values(extractor, speech):
    clip = speech[:8000]
    pcm16 = np.round(clip * 32767).astype(np.int16)
    reference = extractor(pcm16.astype(np.float32) / 32768, sampling_rate=16000)["input_values"]
    for form in (pcm16, torch.from_numpy(pcm16.astype(np.float32) / 32768), (pcm16.astype(np.float32) / 32768)[None]):
        np.testing.assert_array_equal(extractor(form, sampling_rate=16000)["input_values"], reference)
    python_list = extractor(list(map(float, clip[:10])), sampling_rate=16000)["input_values"]
    assert np.asarray(python_list).shape == (1, 1, 10)


@pytest.mark.parametrize(
    "audio, error, match",
    [
        (np.zeros((2, 16000), np.float32), ValueError, "mono"),
        (np.zeros(0, np.float32), ValueError, "empty"),
        (np.array([0.1, np.nan, 0.2], np.float32), ValueError, "NaN"),
        (np.array([0.1, np.inf], np.float32), ValueError, "NaN or infinite"),
        (np.array(["a", "b"]), TypeError, "dtype"),
        ([], ValueError, "empty list"),
    ],
)
def test_bad_audio(extractor, audio, error, match):
    with pytest.raises(error, match=match):
        extractor(audio, sampling_rate=16000)


def test_wrong_sampling_rate_says_how_to_resample(extractor, speech):
    with pytest.raises(ValueError, match=r"24000 Hz.*soxr.resample"):
        extractor(speech, sampling_rate=24000)


def test_no_silent_truncation(extractor, speech):
    with pytest.raises(ValueError, match="truncation=True"):
        extractor(speech, sampling_rate=16000, padding="max_length", max_length=1000)
    cut = extractor(speech, sampling_rate=16000, padding="max_length", max_length=1000, truncation=True)
    assert np.asarray(cut["input_values"]).shape == (1, 1, 1000)
    window = extractor(speech[:100], sampling_rate=16000, padding="max_length", return_tensors="np")
    assert window["input_values"].shape == (1, 1, 30 * 16000)


def test_log_mel_equals_the_models(extractor, speech):
    model = make_tiny_model(max_audio_seconds=30, window_context_frames=50, original_window_overlap_frames=125)
    clips = [speech, speech[3000:20000]]
    features = extractor(clips, sampling_rate=16000, return_tensors="pt", return_log_mel=True)
    internal, mel_lengths = model.log_mel(features["input_values"][:, 0], features["padding_mask"].sum(-1))
    assert features["input_features"].shape == internal.shape
    assert features["input_features_mask"].sum(-1).tolist() == mel_lengths.tolist()
    torch.testing.assert_close(features["input_features"], internal, atol=1e-4, rtol=0)


def test_datasets_map_batched(extractor, speech):
    datasets = pytest.importorskip("datasets")
    dataset = datasets.Dataset.from_dict({"audio": [speech[:4000], speech[:9000], speech[:1500]]})
    mapped = dataset.map(
        lambda batch: extractor(batch["audio"], sampling_rate=16000), batched=True, batch_size=2, remove_columns=["audio"]
    )
    assert [len(row["padding_mask"]) for row in mapped] == [9000, 9000, 1500]
    assert [sum(row["padding_mask"]) for row in mapped] == [4000, 9000, 1500]


def test_save_load_round_trip(tmp_path, extractor):
    extractor.save_pretrained(tmp_path)
    loaded = XYTokenizerFeatureExtractor.from_pretrained(tmp_path)
    assert loaded.to_dict() == extractor.to_dict()
