"""Length bucketing and the per-process choices (device, threads, model transport), without GPUs."""

import pickle

import pytest
import torch

from xy_tokenizer.data.buckets import length_buckets
from xy_tokenizer.data.model_transport import ForkSharedModel, pack_model, unpack_model
from xy_tokenizer.data.processes import ModelMapFunction, device_for_process, threads_per_process
from xy_tokenizer.data.tokenization import EncodeBatch, EncodeSettings
from xy_tokenizer.modeling_xy_tokenizer import XYTokenizerModel


def test_buckets_sort_longest_first_within_budget():
    lengths = [5, 40, 10, 40, 25, 1, 10]
    groups = length_buckets(lengths, max_padded_length=60)
    assert sorted(index for group in groups for index in group) == list(range(len(lengths)))
    flat = [lengths[index] for group in groups for index in group]
    assert flat == sorted(lengths, reverse=True)
    for group in groups:
        assert len(group) * lengths[group[0]] <= 60
    assert groups == [[1], [3], [4, 2], [6, 0, 5]]  # stable: equal lengths keep input order


def test_over_budget_items_run_alone():
    assert length_buckets([100, 3, 200], max_padded_length=50) == [[2], [0], [1]]
    assert length_buckets([], 10) == []
    with pytest.raises(ValueError, match="max_padded_length must be >= 1, got 0"):
        length_buckets([1], 0)


@pytest.mark.parametrize(
    ("rank", "requested", "gpus", "expected"),
    [
        (None, None, 4, None),  # main process: the caller placed the model
        (0, None, 4, "cuda:0"),
        (5, None, 4, "cuda:1"),  # one process per GPU, wrapping around
        (3, None, 0, "cpu"),  # workers on a CPU-only machine
        (3, "cpu", 4, "cpu"),  # explicit device wins everywhere
        (None, "cuda:2", 4, "cuda:2"),
    ],
)
def test_device_for_process(rank, requested, gpus, expected):
    device = device_for_process(rank, requested, gpus)
    assert (None if device is None else str(device)) == expected


def test_negative_rank_is_refused():
    with pytest.raises(ValueError, match="rank must be >= 0, got -1"):
        device_for_process(-1, None, 2)


def test_threads_split_the_cores():
    assert threads_per_process(None, 16) is None
    assert threads_per_process(1, 16) is None
    assert threads_per_process(2, 2) == 1
    assert threads_per_process(4, 16) == 4
    assert threads_per_process(8, 2) == 1


def test_map_function_places_its_model_once():
    function = ModelMapFunction(torch.nn.Linear(2, 2), device="meta", threads=None)
    assert function.ready_model(rank=0).weight.device.type == "meta"
    function.device = "cpu"  # not consulted again: placement happens once per process
    assert function.ready_model(rank=0).weight.device.type == "meta"


@pytest.mark.parametrize("share_by_fork", [True, False])
def test_models_travel_to_workers_intact(model_dir, mixed_clips, share_by_fork):
    """Forked workers find the model they inherited; otherwise it is rebuilt from its state dict
    (weight-norm parametrized modules cannot be pickled whole), keeping every tensor's dtype."""
    model = XYTokenizerModel.from_pretrained(model_dir, dtype=torch.bfloat16).eval()
    packed = pickle.loads(pickle.dumps(pack_model(model, share_by_fork=share_by_fork)))
    copy = unpack_model(packed)
    assert (copy is model) == share_by_fork
    assert copy.dtype == torch.bfloat16 and not copy.training
    for (name, a), (_, b) in zip(model.state_dict().items(), copy.state_dict().items(), strict=True):
        assert a.dtype == b.dtype and torch.equal(a, b), name
    settings = EncodeSettings("audio_codes", 16000, None, 4, "empty", 10**6, None, device=None, threads=None)
    clips = [mixed_clips[2], mixed_clips[0]]
    expected, actual = EncodeBatch(model, settings)(clips, [0, 1]), EncodeBatch(copy, settings)(clips, [0, 1])
    for a, b in zip(expected["audio_codes"], actual["audio_codes"], strict=True):
        assert (a == b).all()


def test_fork_shared_model_is_refused_elsewhere(fresh_model):
    packed = pack_model(fresh_model, share_by_fork=True)
    with pytest.raises(RuntimeError, match="packed for processes forked from pid 1;"):
        unpack_model(ForkSharedModel(packed.key, owner_pid=1))


def test_map_function_pickles_with_its_settings(fresh_model):
    settings = EncodeSettings("codes", 16000, None, 4, "empty", 10**6, None, device="cpu", threads=1)
    copy = pickle.loads(pickle.dumps(EncodeBatch(fresh_model, settings)))
    assert copy.settings == settings and copy.device == "cpu" and copy.threads == 1 and not copy._placed
