"""Tokenization across processes: each rank writes its part, rank 0 concatenates in row order.

The launched test uses `accelerate launch --multi_gpu --num_processes 2`, which on a machine
without GPUs starts 2 CPU processes in a gloo group (`--cpu --num_processes 2` would start one)."""

import os
import shutil
import socket
import subprocess

import datasets
import pytest
from accelerate.state import AcceleratorState
from dataset_builders import assert_same_codes, audio_dataset, codes_of

from xy_tokenizer.data.distributed import concatenate_rank_shards, rank_shard_dir
from xy_tokenizer.datasets_tokenization import main, tokenize_dataset_distributed
from xy_tokenizer.modeling_xy_tokenizer import XYTokenizerModel

LAUNCH_TIMEOUT_S = 240


@pytest.fixture
def fresh_accelerate_state():
    """accelerate keeps its process state in a singleton; do not leak ours into other tests."""
    AcceleratorState._reset_state(reset_partial_state=True)
    yield
    AcceleratorState._reset_state(reset_partial_state=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_single_process_run_saves_the_result(model_dir, mixed_clips, mixed_codes, tmp_path, fresh_accelerate_state):
    result = tokenize_dataset_distributed(audio_dataset(mixed_clips), model_dir, tmp_path / "out", shard_size=3)
    assert_same_codes(codes_of(result), mixed_codes)
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [
        "data-00000-of-00001.arrow", "dataset_info.json", "state.json",
    ]  # fmt: skip
    assert_same_codes(codes_of(datasets.load_from_disk(str(tmp_path / "out"))), mixed_codes)


def test_rerun_reuses_the_cache(model_dir, mixed_clips, tmp_path, fresh_accelerate_state, monkeypatch):
    tokenize_dataset_distributed(audio_dataset(mixed_clips), model_dir, tmp_path, shard_size=3, keep_intermediate=True)
    calls = []
    encode = XYTokenizerModel.encode
    monkeypatch.setattr(XYTokenizerModel, "encode", lambda self, *a, **k: calls.append(1) or encode(self, *a, **k))
    again = tokenize_dataset_distributed(audio_dataset(mixed_clips), model_dir, tmp_path, shard_size=3)
    assert calls == [] and len(again) == len(mixed_clips)
    assert not (tmp_path / "shards").exists() and not (tmp_path / "cache").exists()


def test_rank_parts_are_concatenated_in_rank_order(tmp_path):
    rows = datasets.Dataset.from_dict({"row": list(range(7))})
    for rank, (start, stop) in enumerate([(0, 4), (4, 7)]):
        rows.select(range(start, stop)).save_to_disk(str(rank_shard_dir(tmp_path, rank)))
    assert concatenate_rank_shards(tmp_path, 2, keep_intermediate=True)["row"] == list(range(7))
    assert datasets.load_from_disk(str(tmp_path))["row"] == list(range(7))
    concatenate_rank_shards(tmp_path, 2)
    assert not (tmp_path / "shards").exists()
    with pytest.raises(FileNotFoundError, match=r"Ranks \[0, 1\] wrote no shard"):
        concatenate_rank_shards(tmp_path, 2)


def test_iterable_datasets_are_refused(model_dir, mixed_clips, tmp_path):
    with pytest.raises(TypeError, match="needs a map-style datasets.Dataset"):
        tokenize_dataset_distributed(audio_dataset(mixed_clips).to_iterable_dataset(), model_dir, tmp_path)


def test_entry_point_reports_bad_input(model_dir, mixed_clips, tmp_path, capsys):
    datasets.DatasetDict({"train": audio_dataset(mixed_clips[:1])}).save_to_disk(str(tmp_path / "splits"))
    assert main([str(tmp_path / "splits"), str(model_dir), "--output-dir", str(tmp_path / "out")]) == 2
    assert "holds splits ['train']; choose one with --split" in capsys.readouterr().err


def test_two_launched_processes_equal_one(model, model_dir, mixed_clips, mixed_codes, tmp_path):
    launcher = shutil.which("accelerate")
    if launcher is None:
        pytest.skip("the accelerate launcher is not installed on PATH")
    audio_dataset(mixed_clips).save_to_disk(str(tmp_path / "source"))
    command = [
        launcher, "launch", "--multi_gpu", "--num_processes", "2", "--num_machines", "1", "--mixed_precision", "no",
        "--dynamo_backend", "no", "--main_process_port", str(free_port()),
        "-m", "xy_tokenizer.datasets_tokenization", str(tmp_path / "source"), str(model_dir),
        "--output-dir", str(tmp_path / "out"), "--shard-size", "3", "--keep-intermediate",
    ]  # fmt: skip
    environment = {**os.environ, "OMP_NUM_THREADS": "1", "HF_DATASETS_DISABLE_PROGRESS_BARS": "1"}
    done = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=LAUNCH_TIMEOUT_S)
    assert done.returncode == 0, done.stderr[-4000:]
    assert done.stdout.count("8 rows tokenized") == 1  # printed by rank 0 only
    result = datasets.load_from_disk(str(tmp_path / "out"))
    assert result["id"] == list(range(len(mixed_clips)))
    assert_same_codes(codes_of(result), mixed_codes)
    parts = [datasets.load_from_disk(str(rank_shard_dir(tmp_path / "out", rank))) for rank in (0, 1)]
    assert [part["id"] for part in parts] == [[0, 1, 2, 3], [4, 5, 6, 7]]  # two ranks, contiguous halves
