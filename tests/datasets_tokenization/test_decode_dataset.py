"""decode_dataset: codes columns back to audio, equal to decoding each row alone."""

import datasets
import numpy as np
import pytest
import torch
from dataset_builders import audio_dataset

from xy_tokenizer.data.detokenization import as_code_array
from xy_tokenizer.datasets_tokenization import decode_dataset, tokenize_dataset


@torch.no_grad()
def decode_alone(model, codes: np.ndarray) -> np.ndarray:
    return model.decode(torch.from_numpy(codes)[None]).audio_values[0, 0].numpy()


@pytest.fixture(scope="module")
def tokenized(model, mixed_clips, tmp_path_factory) -> datasets.Dataset:
    return tokenize_dataset(audio_dataset(mixed_clips), model, cache_dir=tmp_path_factory.mktemp("codes"))


def test_round_trip_rows_equal_decoding_alone(model, tokenized, mixed_codes, tmp_path):
    result = decode_dataset(tokenized, model, map_batch_size=4, max_batch_frames=60, cache_dir=tmp_path)
    assert result.features["decoded_audio"] == datasets.Features(
        {"array": datasets.List(datasets.Value("float32")), "sampling_rate": datasets.Value("int32")}
    )
    assert result.column_names == ["audio", "id", "audio_codes", "audio_codes_length", "decoded_audio"]
    for row, (cell, codes) in enumerate(zip(result["decoded_audio"], mixed_codes)):
        assert cell["sampling_rate"] == model.config.output_sampling_rate
        audio = np.asarray(cell["array"], dtype=np.float32)
        assert len(audio) == codes.shape[1] * model.config.output_samples_per_code, row
        # Codes are exactly batch-invariant; float audio from a padded batch may differ in the last bits.
        np.testing.assert_allclose(audio, decode_alone(model, codes), rtol=0, atol=1e-6, err_msg=f"row {row}")


def test_fewer_quantizers_and_empty_rows(model, tmp_path):
    codes = np.random.default_rng(0).integers(0, model.config.codebook_size, (4, 9))
    dataset = datasets.Dataset.from_dict({"codes": [codes.tolist(), [[]] * 4]})
    result = decode_dataset(dataset, model, "codes", audio_column="speech", num_quantizers=2, cache_dir=tmp_path)
    audio = result["speech"]
    np.testing.assert_allclose(np.asarray(audio[0]["array"], np.float32), decode_alone(model, codes[:2]), atol=1e-6)
    assert audio[1]["array"] == []


def test_iterable_dataset(model, tokenized, mixed_codes):
    stream = tokenized.remove_columns("audio").to_iterable_dataset()
    rows = list(decode_dataset(stream, model, map_batch_size=3))
    np.testing.assert_allclose(rows[2]["decoded_audio"]["array"], decode_alone(model, mixed_codes[2]), atol=1e-6)


def test_errors(model, tmp_path):
    mixed = datasets.Dataset.from_dict({"audio_codes": [[[1, 2]] * 4, [[1, 2]] * 3]})
    with pytest.raises(ValueError, match=r"Rows \[0, 1\] have different numbers of code rows \[3, 4\]"):
        decode_dataset(mixed, model, cache_dir=tmp_path)
    with pytest.raises(ValueError, match=r"Rows \[1\] have fewer than num_quantizers=4"):
        decode_dataset(mixed, model, num_quantizers=4, cache_dir=tmp_path)
    with pytest.raises(ValueError, match="max_batch_frames must be a positive int, got -1"):
        decode_dataset(mixed, model, max_batch_frames=-1)
    with pytest.raises(ValueError, match="Codes column 'codes' not found"):
        decode_dataset(mixed, model, "codes")
    with pytest.raises(ValueError, match=r"audio_codes must lie in \[0, 16\)"):
        decode_dataset(datasets.Dataset.from_dict({"audio_codes": [[[99]] * 4]}), model, cache_dir=tmp_path)
    with pytest.raises(ValueError, match="Row 7: code rows have different lengths"):
        as_code_array(np.array([np.arange(3), np.arange(2)], dtype=object), 7)
    with pytest.raises(TypeError, match="Row 0: codes must be integers"):
        as_code_array([[0.5, 1.0]], 0)
