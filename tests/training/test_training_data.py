"""Training data: decoding without ffmpeg, code-frame-aligned random crops, collation, tokenization."""

import io

import numpy as np
import pytest
import soundfile
import torch
from training.tiny_training import SPEECH_DIR

from xy_tokenizer.training.audio_dataset import AudioTextDataset, CropPolicy, nested_get, read_audio
from xy_tokenizer.training.collator import AudioTextCollator
from xy_tokenizer.training.tiny_assets import train_tiny_tokenizer

POLICY = dict(sampling_rate=16000, output_sampling_rate=16000, samples_per_code=1280, max_samples=32000)


def rows(count=4, seconds=1.5, rate=24000):
    rng = np.random.default_rng(0)
    return [
        {"audio": {"array": rng.normal(0, 0.1, int(seconds * rate) + 37 * i).astype(np.float32), "sampling_rate": rate},
         "text": f"item {i}"}
        for i in range(count)
    ]  # fmt: skip


def test_read_audio_from_path_bytes_and_array():
    path = SPEECH_DIR / "moss_m1.wav"
    from_path, rate = read_audio(str(path))
    from_bytes, rate_b = read_audio({"bytes": path.read_bytes(), "path": None})
    from_relative, _ = read_audio({"path": "moss_m1.wav", "bytes": None}, root=SPEECH_DIR)
    assert (
        rate == rate_b == 24000 and np.array_equal(from_path, from_bytes) and np.array_equal(from_path, from_relative)
    )
    stereo = np.stack([from_path, -from_path], axis=1)
    buffer = io.BytesIO()
    soundfile.write(buffer, stereo, rate, format="WAV")
    mono, _ = read_audio({"bytes": buffer.getvalue()})
    assert np.abs(mono).max() < 1e-4  # channels averaged
    array, array_rate = read_audio({"array": [0.0, 0.5], "sampling_rate": 8000})
    assert array.dtype == np.float32 and array_rate == 8000
    with pytest.raises(ValueError, match="Cannot read audio"):
        read_audio(3)


def test_nested_text_column():
    assert nested_get({"json": {"text": "hi"}}, "json.text") == "hi"
    with pytest.raises(KeyError, match="json.lang"):
        nested_get({"json": {"text": "hi"}}, "json.lang")


def test_items_are_whole_code_frames_resampled_to_16k():
    dataset = AudioTextDataset(rows(), CropPolicy(**POLICY))
    for index in range(len(dataset)):
        item = dataset[index]
        assert item["input_values"].shape[0] % 1280 == 0 and item["input_values"].shape[0] == 1.5 * 16000 // 1280 * 1280
        assert item["target_values"] is None and item["text"] == f"item {index}"


def test_random_crops_depend_only_on_seed_epoch_and_index():
    policy = CropPolicy(**POLICY, crop_samples=9000)  # rounded down to 7 frames
    dataset = AudioTextDataset(rows(), policy, seed=3)
    first = [dataset[i]["input_values"] for i in range(4)]
    assert all(item.shape[0] == 7 * 1280 for item in first)
    assert np.array_equal(dataset[2]["input_values"], first[2])  # same (seed, epoch, index): same crop
    assert dataset[2]["text"] is None  # a cropped item has no transcript any more
    dataset.set_epoch(1)
    assert not np.array_equal(dataset[2]["input_values"], first[2])
    other_seed = AudioTextDataset(rows(), policy, seed=4)
    assert not np.array_equal(other_seed[2]["input_values"], first[2])


def test_targets_at_the_decoder_rate_cover_the_same_span():
    policy = CropPolicy(**{**POLICY, "output_sampling_rate": 24000}, crop_samples=6400)
    item = AudioTextDataset(rows(), policy)[1]
    assert item["input_values"].shape[0] == 6400 and item["target_values"].shape[0] == 9600
    batch = AudioTextCollator()([item, AudioTextDataset(rows(), policy)[2]])
    assert batch["target_values"].shape == (2, 1, 9600)


def test_short_clips_are_padded_to_one_code_frame():
    short = [{"audio": {"array": np.ones(500, np.float32), "sampling_rate": 16000}, "text": "a"}]
    item = AudioTextDataset(short, CropPolicy(**POLICY))[0]
    assert item["input_values"].shape[0] == 1280 and item["input_values"][600] == 0.0


def test_collator_pads_audio_and_appends_eos():
    tokenizer = train_tiny_tokenizer(["red cat", "blue dog runs", "a small boat"], vocab_size=280)
    collate = AudioTextCollator(tokenizer, max_transcript_tokens=2)
    items = [
        {"input_values": np.ones(2560, np.float32), "target_values": None, "text": "red cat"},
        {"input_values": np.ones(1280, np.float32), "target_values": None, "text": None},
    ]
    batch = collate(items)
    assert batch["input_values"].shape == (2, 1, 2560) and batch["padding_mask"].sum(1).tolist() == [2560, 1280]
    assert batch["input_values"][1, 0, 1280:].abs().sum() == 0 and "target_values" not in batch
    ids, mask = batch["transcript_ids"], batch["transcript_mask"]
    assert mask[1].sum() == 0  # no transcript: no ASR target
    count = int(mask[0].sum())
    assert count <= 3 and ids[0, count - 1] == tokenizer.eos_token_id
    assert tokenizer.decode(ids[0, : count - 1]).startswith("red")


def test_collated_batch_trains_a_codec_forward():
    from training.tiny_training import tiny_codec_config

    from xy_tokenizer.modeling_xy_tokenizer import XYTokenizerModel

    config = tiny_codec_config()
    dataset = AudioTextDataset(rows(), CropPolicy(16000, 16000, 1280, config.max_window_samples, crop_samples=12800))
    batch = AudioTextCollator()([dataset[i] for i in range(3)])
    output = XYTokenizerModel(config).eval()(input_values=batch["input_values"], padding_mask=batch["padding_mask"])
    assert output.audio_values.shape == batch["input_values"].shape
    assert torch.equal(output.padding_mask, batch["padding_mask"])
