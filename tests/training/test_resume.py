"""Resuming from a checkpoint after a kill continues exactly like the uninterrupted run (CPU)."""

import pytest
import torch
from training.tiny_training import state_snapshot, tiny_trainer
from transformers import TrainerCallback

from xy_tokenizer.training.checkpointing import DISCRIMINATOR_STATE_NAME, DISCRIMINATOR_WEIGHTS_NAME

# 8 training items in batches of 2: 4 steps per epoch, so 6 steps cross an epoch boundary (new crops,
# new shuffle) and the kill at step 3 is mid-epoch (the resumed run must skip the consumed batches).
TOTAL_STEPS, KILL_STEP = 6, 3


class KillAfter(TrainerCallback):
    """Stops training right after the checkpoint of ``step`` is written (like a kill at that point)."""

    def __init__(self, step: int) -> None:
        self.step = step

    def on_save(self, args, state, control, **kwargs):
        if state.global_step == self.step:
            control.should_training_stop = True


def run_settings(tmp_path, name):
    return dict(
        max_steps=TOTAL_STEPS,
        save_strategy="steps",
        save_steps=KILL_STEP,
        output_dir=str(tmp_path / name),
        logging_steps=2,
    )


def assert_same_state(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    different = [name for name in a if not torch.equal(a[name], b[name])]
    assert not different, f"{len(different)} tensors differ, e.g. {different[:5]}"


@pytest.mark.parametrize("stage", [1, 2])
def test_resume_equals_uninterrupted(tmp_path, stage):
    straight = tiny_trainer(tmp_path, stage, **run_settings(tmp_path, "straight"))
    straight.train()

    killed = tiny_trainer(tmp_path, stage, **run_settings(tmp_path, "resumed"))
    killed.add_callback(KillAfter(KILL_STEP))
    killed.train()
    assert killed.state.global_step == KILL_STEP
    checkpoint = tmp_path / "resumed" / f"checkpoint-{KILL_STEP}"
    if stage == 2:
        assert (checkpoint / DISCRIMINATOR_WEIGHTS_NAME).is_file() and (checkpoint / DISCRIMINATOR_STATE_NAME).is_file()

    # A fresh process would rebuild everything from the recipe: so does this.
    resumed = tiny_trainer(tmp_path, stage, **run_settings(tmp_path, "resumed"))
    resumed.train(resume_from_checkpoint=str(checkpoint))
    assert resumed.state.global_step == TOTAL_STEPS

    assert_same_state(state_snapshot(straight.model), state_snapshot(resumed.model))
    if stage == 2:
        assert_same_state(state_snapshot(straight.adversarial), state_snapshot(resumed.adversarial))
        assert straight.discriminator.scheduler.state_dict() == resumed.discriminator.scheduler.state_dict()
    straight_losses = [entry["loss/total"] for entry in straight.state.log_history if "loss/total" in entry]
    resumed_losses = [entry["loss/total"] for entry in resumed.state.log_history if "loss/total" in entry]
    assert straight_losses[-1] == resumed_losses[-1]
