"""The discriminator half of a stage-2 step: its own DDP wrapper, optimizer and scheduler.

The generator is what ``Trainer`` optimises; the discriminators are stepped here, once per generator
step, before the generator's adversarial terms are computed (HiFi-GAN order: D on detached fakes,
then G against the updated D). Through Accelerate the discriminators get their own DDP wrapper, so
their gradients are all-reduced across ranks, and share the run's mixed precision and grad scaler.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn
from transformers import get_scheduler

from .adversarial import AdversarialLoss
from .arguments import XYTokenizerTrainingArguments
from .checkpointing import DISCRIMINATOR_STATE_NAME

DISCRIMINATOR_LOSS_NAME = "loss/disc"


class DiscriminatorObjective(nn.Module):
    """``forward(real, fake, padding_mask)`` = the discriminator loss, so DDP can wrap it."""

    def __init__(self, adversarial: AdversarialLoss) -> None:
        super().__init__()
        self.adversarial = adversarial

    def forward(self, real: torch.Tensor, fake: torch.Tensor, padding_mask: torch.Tensor | None) -> torch.Tensor:
        """real / fake ``(batch, 1, samples)`` (fake is detached inside), padding_mask ``(batch, samples)``."""
        return self.adversarial.discriminator_loss(real, fake, padding_mask)


class DiscriminatorUpdater:
    """Owns the discriminator optimizer and scheduler and performs discriminator steps.

    Args:
        adversarial: the discriminators and GAN losses (also used, unwrapped, for the generator terms).
        args: training arguments (``discriminator_*`` fields, scheduler type and warm-up).
    """

    def __init__(self, adversarial: AdversarialLoss, args: XYTokenizerTrainingArguments) -> None:
        self.adversarial = adversarial
        self.args = args
        self.objective: nn.Module = DiscriminatorObjective(adversarial)
        self.optimizer = None
        self.scheduler = None
        self.accelerator = None
        self.last_learning_rate = 0.0

    @property
    def ready(self) -> bool:
        return self.optimizer is not None

    def setup(self, accelerator, num_training_steps: int) -> None:
        """Create the optimizer and scheduler and prepare module + optimizer with ``accelerator``."""
        if self.ready:
            return
        args = self.args
        optimizer = torch.optim.AdamW(
            self.adversarial.parameters(),
            lr=args.discriminator_learning_rate,
            betas=(args.discriminator_adam_beta1, args.discriminator_adam_beta2),
            weight_decay=args.discriminator_weight_decay,
        )
        steps = max(1, num_training_steps - args.discriminator_start_step)
        self.objective, self.optimizer = accelerator.prepare(self.objective, optimizer)
        self.scheduler = get_scheduler(
            args.lr_scheduler_type,
            optimizer,
            num_warmup_steps=args.get_warmup_steps(steps),
            num_training_steps=steps,
            scheduler_specific_kwargs=args.lr_scheduler_kwargs or {},
        )
        self.accelerator = accelerator

    def step(self, real: torch.Tensor, fake: torch.Tensor, padding_mask: torch.Tensor | None) -> torch.Tensor:
        """One discriminator update on ``fake.detach()``; returns the detached loss."""
        if not self.ready:
            raise RuntimeError("DiscriminatorUpdater.setup() must run before the first discriminator step")
        self.objective.train()
        loss = self.objective(real, fake.detach(), padding_mask)
        self.accelerator.backward(loss)
        if self.args.discriminator_max_grad_norm > 0:
            scaler = self.accelerator.scaler
            if scaler is not None:
                scaler.unscale_(self.optimizer.optimizer)  # only this optimizer: the generator's is not done yet
            torch.nn.utils.clip_grad_norm_(self.adversarial.parameters(), self.args.discriminator_max_grad_norm)
        self.last_learning_rate = float(self.scheduler.get_last_lr()[0])  # the rate this step uses
        self.optimizer.step()
        if not self.optimizer.step_was_skipped:
            self.scheduler.step()
        self.optimizer.zero_grad(set_to_none=True)
        return loss.detach()

    def learning_rate(self) -> float:
        """The learning rate of the last discriminator step (as the Trainer logs the generator's)."""
        return self.last_learning_rate

    def save(self, folder: str | Path) -> None:
        """Write the optimizer and scheduler state (the weights are saved with the model files)."""
        state = {"optimizer": self.optimizer.state_dict(), "scheduler": self.scheduler.state_dict()}
        torch.save(state, Path(folder) / DISCRIMINATOR_STATE_NAME)

    def load(self, folder: str | Path) -> None:
        """Restore what :meth:`save` wrote; a stage-2 checkpoint without it cannot be resumed exactly."""
        path = Path(folder) / DISCRIMINATOR_STATE_NAME
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing: {folder} is not a resumable stage-2 checkpoint")
        state = torch.load(path, map_location="cpu", weights_only=True)
        self.optimizer.load_state_dict(state["optimizer"])
        self.scheduler.load_state_dict(state["scheduler"])
