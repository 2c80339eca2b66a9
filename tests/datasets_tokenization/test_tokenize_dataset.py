"""tokenize_dataset: every audio source gives the codes of each clip encoded alone, in row order."""

import datasets
import numpy as np
import pytest
import torch
from dataset_builders import CLIP_16K, CLIP_24K, assert_same_codes, audio_dataset, codes_of, encode_alone

from xy_tokenizer.audio_io import load_audio
from xy_tokenizer.data import model_transport
from xy_tokenizer.data.tokenization import EncodeBatch, EncodeSettings
from xy_tokenizer.datasets_tokenization import tokenize_dataset
from xy_tokenizer.modeling_xy_tokenizer import XYTokenizerModel


def test_audio_column_of_bytes_and_paths(model, mixed_clips, mixed_codes, tmp_path):
    """An Audio() column (decode=True, as load_dataset gives) is read with soundfile, never torchcodec."""
    clips = mixed_clips + [load_audio(CLIP_24K, 24000)]
    dataset = audio_dataset(clips, paths={len(mixed_clips): CLIP_24K})
    result = tokenize_dataset(dataset, model, cache_dir=tmp_path)
    expected = mixed_codes + [encode_alone(model, load_audio(CLIP_24K, 16000))]
    assert_same_codes(codes_of(result), expected)
    assert result["audio_codes_length"] == [codes.shape[1] for codes in expected]
    assert result["id"] == list(range(len(clips)))
    assert result.features["audio"] == datasets.Audio()  # the caller's feature, decode=True again
    assert result.features["audio_codes"] == datasets.List(datasets.List(datasets.Value("int16")))


def test_length_buckets_match_unsorted_encoding(fresh_model, mixed_clips, mixed_codes, tmp_path):
    """Sub-batches are length-sorted and bounded, and the output equals encoding each clip alone."""
    seen = []
    encode = fresh_model.encode

    def recording_encode(input_values, padding_mask, **kwargs):
        seen.append(padding_mask.sum(-1).tolist())
        return encode(input_values, padding_mask, **kwargs)

    fresh_model.encode = recording_encode
    dataset = audio_dataset(mixed_clips)
    budget = 80000
    result = tokenize_dataset(dataset, fresh_model, map_batch_size=4, max_batch_samples=budget, cache_dir=tmp_path)
    assert_same_codes(codes_of(result), mixed_codes)
    assert sorted(n for batch in seen for n in batch) == sorted(len(c) for c in mixed_clips)
    for lengths in seen:
        assert lengths == sorted(lengths, reverse=True)
        assert len(lengths) == 1 or len(lengths) * lengths[0] <= budget
    assert max(len(lengths) for lengths in seen) > 1  # some clips did share a forward


def test_array_dicts_and_raw_arrays_at_other_rates(model, tmp_path):
    audio_24k = load_audio(CLIP_24K, 24000)
    audio_16k = load_audio(CLIP_16K, 16000)
    expected = [encode_alone(model, load_audio(CLIP_24K, 16000)), encode_alone(model, audio_16k)]
    dicts = datasets.Dataset.from_dict(
        {"speech": [{"array": audio_24k, "sampling_rate": 24000}, {"array": audio_16k, "sampling_rate": 16000}]}
    )
    assert_same_codes(codes_of(tokenize_dataset(dicts, model, "speech", cache_dir=tmp_path / "a")), expected)
    pcm = (np.clip(audio_24k, -1, 1) * 32767).astype(np.int16)
    # datasets' numpy format widens int16 to int64: the stored type must still set the scale.
    raw = datasets.Dataset.from_dict({"wave": [pcm]})
    assert raw.features["wave"] == datasets.List(datasets.Value("int16"))
    codes = codes_of(tokenize_dataset(raw, model, "wave", sampling_rate=24000, cache_dir=tmp_path / "b"))
    assert codes[0].shape == expected[0].shape
    assert (codes[0] == expected[0]).mean() > 0.9  # int16 rounding may flip a few codes


def test_stereo_rows_are_averaged(model, speech_16k, tmp_path):
    stereo = np.stack([speech_16k[:20000], 0.5 * speech_16k[:20000]])
    dataset = datasets.Dataset.from_dict({"wave": [stereo]})
    result = tokenize_dataset(dataset, model, "wave", sampling_rate=16000, cache_dir=tmp_path)
    assert_same_codes(codes_of(result), [encode_alone(model, stereo.mean(0))])


def test_fewer_quantizers_are_the_first_rows(model, mixed_clips, mixed_codes, tmp_path):
    result = tokenize_dataset(audio_dataset(mixed_clips[:3]), model, num_quantizers=2, cache_dir=tmp_path)
    assert_same_codes(codes_of(result), [codes[:2] for codes in mixed_codes[:3]])


def test_short_clips_get_no_codes_or_an_error(model, speech_16k, tmp_path):
    clips = [speech_16k[:16000], speech_16k[:1279], speech_16k[:1280]]
    dataset = datasets.Dataset.from_dict({"wave": clips})
    result = tokenize_dataset(dataset, model, "wave", sampling_rate=16000, cache_dir=tmp_path)
    assert result["audio_codes_length"] == [12, 0, 1]
    assert result["audio_codes"][1] == [[]] * model.config.num_quantizers
    with pytest.raises(ValueError, match=r"Rows \[1\] are shorter than one code frame \(1280 samples"):
        tokenize_dataset(dataset, model, "wave", sampling_rate=16000, short_clips="error", cache_dir=tmp_path)


def test_errors_name_the_problem(model, speech_16k, tmp_path):
    dataset = datasets.Dataset.from_dict({"wave": [speech_16k[:4000], speech_16k[:0]]})
    with pytest.raises(ValueError, match="Row 1: the audio clip is empty"):
        tokenize_dataset(dataset, model, "wave", sampling_rate=16000, cache_dir=tmp_path)
    with pytest.raises(ValueError, match="pass sampling_rate="):
        tokenize_dataset(dataset, model, "wave", cache_dir=tmp_path)
    with pytest.raises(ValueError, match="Audio column 'audio' not found"):
        tokenize_dataset(dataset, model, cache_dir=tmp_path)
    with pytest.raises(ValueError, match="num_quantizers must be in 1…4, got 5"):
        tokenize_dataset(dataset, model, "wave", num_quantizers=5)
    with pytest.raises(ValueError, match="short_clips must be one of"):
        tokenize_dataset(dataset, model, "wave", short_clips="drop")
    with pytest.raises(TypeError, match="model must be an XYTokenizerModel"):
        tokenize_dataset(dataset, "model/path", "wave")
    with pytest.raises(ValueError, match="max_batch_samples must be a positive int, got 0"):
        tokenize_dataset(dataset, model, "wave", sampling_rate=16000, max_batch_samples=0)
    with pytest.raises(ValueError, match="shard_size must be a positive int, got 0"):
        tokenize_dataset(dataset, model, "wave", sampling_rate=16000, shard_size=0)


def test_remove_audio_column(model, mixed_clips, tmp_path):
    result = tokenize_dataset(audio_dataset(mixed_clips[:2]), model, remove_audio_column=True, cache_dir=tmp_path)
    assert result.column_names == ["id", "audio_codes", "audio_codes_length"]


def test_iterable_dataset_is_mapped_lazily(model, mixed_clips, mixed_codes):
    stream = audio_dataset(mixed_clips).to_iterable_dataset(num_shards=2)
    result = tokenize_dataset(stream, model, map_batch_size=3)
    assert isinstance(result, datasets.IterableDataset)
    rows = list(result.remove_columns("audio"))
    assert [row["id"] for row in rows] == list(range(len(mixed_clips)))
    assert_same_codes(
        [np.asarray(row["audio_codes"]).reshape(model.config.num_quantizers, -1) for row in rows], mixed_codes
    )
    with pytest.raises(ValueError, match="num_proc=2 needs a map-style"):
        tokenize_dataset(stream, model, num_proc=2)


def test_two_worker_processes_give_the_same_codes(model, mixed_clips, mixed_codes, tmp_path, monkeypatch):
    def no_serialising(*args):
        raise AssertionError("forked workers share the model: it must not be serialised")

    monkeypatch.setattr(model_transport, "SerialisedModel", no_serialising)
    result = tokenize_dataset(audio_dataset(mixed_clips), model, num_proc=2, shard_size=5, cache_dir=tmp_path)
    assert_same_codes(codes_of(result), mixed_codes)
    (folder,) = tmp_path.iterdir()
    assert sorted(path.name for path in folder.iterdir()) == [
        "shard-00000-of-00002_00000_of_00002.arrow",
        "shard-00000-of-00002_00001_of_00002.arrow",
        "shard-00001-of-00002_00000_of_00002.arrow",
        "shard-00001-of-00002_00001_of_00002.arrow",
    ]


def test_workers_need_a_cpu_model(fresh_model, mixed_clips, monkeypatch):
    # Forked workers cannot use CUDA once the parent has; any non-CPU device stands in for a GPU here.
    monkeypatch.setattr(XYTokenizerModel, "device", property(lambda self: torch.device("cuda", 0)))
    with pytest.raises(ValueError, match="With num_proc=2 keep the model on the CPU"):
        tokenize_dataset(audio_dataset(mixed_clips[:2]), fresh_model, num_proc=2)


def test_map_function_takes_the_process_device_and_threads(fresh_model, mixed_clips):
    settings = EncodeSettings("audio_codes", 16000, None, 4, "empty", 10**6, None, device=None, threads=1)
    function = EncodeBatch(fresh_model, settings)
    threads = torch.get_num_threads()
    try:
        output = function([mixed_clips[0]], [0], rank=3, row_offset=10)
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(threads)
    assert fresh_model.device.type == "cpu"  # rank 3 on a machine without GPUs
    assert output["audio_codes_length"] == [len(mixed_clips[0]) // 1280]


def test_empty_dataset_still_gets_the_columns(model, tmp_path):
    empty = datasets.Dataset.from_dict({"audio": []}, features=datasets.Features({"audio": datasets.Audio()}))
    result = tokenize_dataset(empty, model, cache_dir=tmp_path)
    assert len(result) == 0 and result.column_names == ["audio", "audio_codes", "audio_codes_length"]
