"""The checkpoint-time replica check and the per-component running means."""

import pytest
import torch
from torch import nn

from xy_tokenizer.training.replicas import check_replicas_in_sync, fingerprints
from xy_tokenizer.training.running_means import RunningMeans


class FakeAccelerator:
    """Two 'processes'; ``gather`` returns this rank's tensor next to ``other``."""

    def __init__(self, other: torch.Tensor | None = None, num_processes: int = 2) -> None:
        self.num_processes, self.device, self.other = num_processes, torch.device("cpu"), other

    def gather(self, tensor):
        return torch.cat([tensor, tensor if self.other is None else self.other[None]])

    def reduce(self, tensor, reduction):
        return tensor * (self.num_processes if reduction == "sum" else 1)


def test_identical_replicas_pass_and_diverged_ones_are_named():
    module = nn.Linear(3, 2)
    module.register_buffer("codebook", torch.randn(4, 3))
    check_replicas_in_sync(module, FakeAccelerator())
    names, local = fingerprints(module)
    diverged = local.clone()
    diverged[names.index("codebook"), 0] += 1e-3
    with pytest.raises(RuntimeError, match="codebook"):
        check_replicas_in_sync(module, FakeAccelerator(diverged))
    check_replicas_in_sync(module, FakeAccelerator(diverged, num_processes=1))  # one process: nothing to compare


def test_running_means_average_between_pops():
    means = RunningMeans()
    means.add({"loss/mel": 2.0, "loss/asr": 1.0})
    means.add({"loss/mel": 4.0, "loss/asr": 3.0})
    assert means.pop() == {"loss/asr": 2.0, "loss/mel": 3.0}
    assert means.pop() == {}
    means.add({"loss/mel": 1.0})
    assert means.pop(FakeAccelerator()) == {"loss/mel": 1.0}
