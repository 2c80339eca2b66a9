"""Where each `.map` worker process runs: its device and its number of torch threads."""

from __future__ import annotations

import torch

from .model_transport import pack_model, register_for_fork, unpack_model


def device_for_process(rank: int | None, requested: str | None, cuda_device_count: int) -> torch.device | None:
    """The device a `.map` process should put the model on, or None to leave the model where it is.

    Args:
        rank: the worker's rank from `.map(with_rank=True)`; None in the main process (`num_proc=None`).
        requested: an explicit device ("cpu", "cuda:1", ...) applied in every process, or None for automatic.
        cuda_device_count: `torch.cuda.device_count()` (a parameter so that the choice is testable without GPUs).

    Automatic choice: the main process keeps the model's device (the caller placed it); worker `rank`
    takes `cuda:{rank % cuda_device_count}`, i.e. one process per GPU with `num_proc = device count`,
    or the CPU on a machine without GPUs.
    """
    if requested is not None:
        return torch.device(requested)
    if rank is None:
        return None
    if rank < 0:
        raise ValueError(f"rank must be >= 0, got {rank}.")
    if cuda_device_count <= 0:
        return torch.device("cpu")
    return torch.device(f"cuda:{rank % cuda_device_count}")


def threads_per_process(num_proc: int | None, cpu_count: int | None) -> int | None:
    """torch intra-op threads for each of `num_proc` workers: the cores shared evenly, at least one.

    None (keep torch's setting) without worker processes: the main process is the caller's to tune.
    Without this, every worker would start one thread per core and `num_proc` of them oversubscribe."""
    if num_proc is None or num_proc <= 1:
        return None
    return max(1, (cpu_count or 1) // num_proc)


class ModelMapFunction:
    """Base of the picklable `.map` functions that run a model.

    `num_proc` workers each unpickle their own copy (the model travels as `model_transport` says);
    on its first batch a copy sets its process's torch threads and moves its model to the process's
    device (`device_for_process`)."""

    def __init__(self, model: torch.nn.Module, device: str | None, threads: int | None):
        self.model = model
        self.device = device
        self.threads = threads
        self._placed = False
        register_for_fork(model)  # now, before datasets forks its workers

    def ready_model(self, rank: int | None) -> torch.nn.Module:
        """The model, placed for this process (done once per process)."""
        if not self._placed:
            if self.threads is not None:
                torch.set_num_threads(self.threads)
            device = device_for_process(rank, self.device, torch.cuda.device_count())
            if device is not None:
                self.model.to(device)
            self._placed = True
        return self.model

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["model"] = pack_model(state["model"])
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, model=unpack_model(state["model"]))
