"""``accelerate launch --multi_gpu --num_processes 2`` on CPU: two gloo processes train in lock-step.

Covers DDP over the stage wrappers, the RVQ k-means init on rank 0 + broadcast and the all-reduced EMA
statistics (stage 1), the discriminators' own DDP wrapper (stage 2), and the checkpoint-time check
that every rank holds identical weights and RVQ buffers (it raises otherwise).
"""

import json
import math
import os
import socket
import subprocess
import sys

import pytest
import yaml
from training.tiny_training import recipe_values


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.timeout(240)
@pytest.mark.parametrize("stage", [1, 2])
def test_two_process_cpu_launch(tmp_path, stage):
    values = recipe_values(tmp_path, stage, max_steps=2, save_strategy="steps", save_steps=2)
    recipe = tmp_path / "recipe.yaml"
    recipe.write_text(yaml.safe_dump(values))
    command = [
        sys.executable, "-m", "accelerate.commands.launch", "--multi_gpu", "--num_processes", "2",
        "--num_machines", "1", "--mixed_precision", "no", "--dynamo_backend", "no",
        "--main_process_port", str(free_port()), "-m", "xy_tokenizer.train", str(recipe),
    ]  # fmt: skip
    environment = {**os.environ, "OMP_NUM_THREADS": "1", "CUDA_VISIBLE_DEVICES": ""}
    result = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=220, check=False)
    assert result.returncode == 0, result.stderr[-4000:]
    checkpoint = tmp_path / f"run-stage{stage}" / "checkpoint-2"
    assert (checkpoint / "rng_state_0.pth").is_file() and (checkpoint / "rng_state_1.pth").is_file()
    history = json.loads((checkpoint / "trainer_state.json").read_text())["log_history"]
    logged = [entry for entry in history if "loss/total" in entry]
    assert len(logged) == 2 and all(math.isfinite(entry["loss/mel"]) for entry in logged)
    if stage == 2:
        assert all(math.isfinite(entry["loss/disc"]) for entry in logged)
