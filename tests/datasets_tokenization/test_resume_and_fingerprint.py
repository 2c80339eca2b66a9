"""Caching: deterministic fingerprints of a model transform, and resuming after an interruption."""

import datasets
import pytest
import torch
from dataset_builders import assert_same_codes, audio_dataset, codes_of

from xy_tokenizer.data.fingerprint import model_fingerprint
from xy_tokenizer.datasets_tokenization import tokenize_dataset
from xy_tokenizer.modeling_xy_tokenizer import XYTokenizerModel


class Interrupted(RuntimeError):
    pass


def count_encode_calls(model: XYTokenizerModel, fail_at: int | None = None) -> list[int]:
    """Wrap `model.encode` to count calls (the list's length), raising `Interrupted` at call `fail_at`."""
    calls, encode = [], model.encode

    def counting_encode(*args, **kwargs):
        calls.append(1)
        if fail_at is not None and len(calls) == fail_at:
            raise Interrupted(f"simulated crash at call {fail_at}")
        return encode(*args, **kwargs)

    model.encode = counting_encode
    return calls


def test_fingerprint_is_stable_across_save_and_load(model, model_dir, tmp_path):
    reloaded = XYTokenizerModel.from_pretrained(model_dir).eval()
    assert model_fingerprint(reloaded) == model_fingerprint(model)
    reloaded.save_pretrained(tmp_path)  # another folder: _name_or_path differs, the fingerprint does not
    assert model_fingerprint(XYTokenizerModel.from_pretrained(tmp_path)) == model_fingerprint(model)
    with torch.no_grad():
        reloaded.quantizer.quantizers[0].codebook[0, 0] += 1e-3
    assert model_fingerprint(reloaded) != model_fingerprint(model)
    assert model_fingerprint(XYTokenizerModel.from_pretrained(model_dir, dtype=torch.bfloat16)) != model_fingerprint(
        model
    )


def test_interrupted_run_resumes_from_finished_shards(model_dir, mixed_clips, mixed_codes, tmp_path):
    """8 rows in 4 shards of 2, one forward per shard: a crash in shard 3 leaves shards 1–2 cached,
    so the rerun calls the model only for shards 3 and 4, and gives the uninterrupted result."""
    options = dict(map_batch_size=2, shard_size=2, max_batch_samples=10**7, cache_dir=tmp_path)
    crashing = XYTokenizerModel.from_pretrained(model_dir).eval()
    count_encode_calls(crashing, fail_at=3)
    with pytest.raises(Interrupted):
        tokenize_dataset(audio_dataset(mixed_clips), crashing, **options)
    (folder,) = tmp_path.iterdir()
    assert sorted(path.name for path in folder.glob("*.arrow")) == [
        "shard-00000-of-00004.arrow",
        "shard-00001-of-00004.arrow",
    ]

    resumed = XYTokenizerModel.from_pretrained(model_dir).eval()
    calls = count_encode_calls(resumed)
    result = tokenize_dataset(audio_dataset(mixed_clips), resumed, **options)
    assert len(calls) == 2
    assert_same_codes(codes_of(result), mixed_codes)
    assert result["id"] == list(range(len(mixed_clips)))

    again = XYTokenizerModel.from_pretrained(model_dir).eval()
    calls = count_encode_calls(again)
    cached = tokenize_dataset(audio_dataset(mixed_clips), again, **{**options, "map_batch_size": 5})
    assert len(calls) == 0  # batch sizes do not change the output, so they do not change the cache key
    assert_same_codes(codes_of(cached), mixed_codes)


def test_output_options_and_data_change_the_cache_key(fresh_model, mixed_clips, tmp_path):
    calls = count_encode_calls(fresh_model)
    tokenize_dataset(audio_dataset(mixed_clips[:2]), fresh_model, cache_dir=tmp_path)
    first = len(calls)
    tokenize_dataset(audio_dataset(mixed_clips[:2]), fresh_model, num_quantizers=2, cache_dir=tmp_path)
    assert len(calls) > first
    second = len(calls)
    tokenize_dataset(audio_dataset(mixed_clips[1:3]), fresh_model, num_quantizers=2, cache_dir=tmp_path)
    assert len(calls) > second
    assert len(list(tmp_path.iterdir())) == 3
    tokenize_dataset(audio_dataset(mixed_clips[:2]), fresh_model, cache_dir=tmp_path, load_from_cache_file=False)
    assert len(list(tmp_path.iterdir())) == 3


def test_default_cache_sits_next_to_the_dataset(fresh_model, mixed_clips, tmp_path):
    audio_dataset(mixed_clips[:3]).save_to_disk(str(tmp_path / "source"))
    on_disk = datasets.load_from_disk(str(tmp_path / "source"))
    calls = count_encode_calls(fresh_model)
    first = tokenize_dataset(on_disk, fresh_model)
    assert (tmp_path / "source" / "xy_tokenizer").is_dir()
    made = len(calls)
    second = tokenize_dataset(datasets.load_from_disk(str(tmp_path / "source")), fresh_model)
    assert len(calls) == made
    assert first["audio_codes"] == second["audio_codes"]
