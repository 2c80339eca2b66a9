"""``XYTokenizerTrainer``: a ``transformers.Trainer`` for both XY-Tokenizer stages.

Stage 1 is a plain single-optimizer run over :class:`XYTokenizerForPreTraining`. Stage 2 adds, inside
each training step, a discriminator step (:class:`DiscriminatorUpdater`, own optimizer, scheduler and
DDP wrapper) before the generator's adversarial and feature-matching terms. Everything else —
Accelerate (DDP, mixed precision), the loop, progress bars, checkpoint rotation, RNG and data-position
bookkeeping for exact resumption — is the stock Trainer.
"""

from __future__ import annotations

import contextlib
import os

import torch
from transformers import Trainer

from .adversarial import AdversarialLoss
from .arguments import XYTokenizerTrainingArguments
from .checkpointing import (
    DISCRIMINATOR_WEIGHTS_NAME,
    TRAINING_MODULES_NAME,
    load_generator_state,
    load_module,
    load_tensors,
    save_generator,
    save_tensors,
)
from .discriminator_updates import DISCRIMINATOR_LOSS_NAME, DiscriminatorUpdater
from .losses import LossWeights, combine_losses
from .replicas import check_replicas_in_sync
from .running_means import RunningMeans
from .wrapper_base import CodecTrainingWrapper

ADVERSARIAL_NAMES = ("loss/adv", "loss/fm")


class XYTokenizerTrainer(Trainer):
    """Trainer of a stage wrapper (``model``), with discriminators in stage 2.

    Args:
        model: :class:`XYTokenizerForPreTraining` or :class:`XYTokenizerForPostTraining`.
        args: training arguments.
        loss_weights: weights keyed by logged names; every term is logged separately.
        adversarial: the discriminators and GAN losses (stage 2), or None (stage 1).
        **kwargs: the usual Trainer arguments (datasets, collator, callbacks).
    """

    def __init__(
        self,
        model: CodecTrainingWrapper,
        args: XYTokenizerTrainingArguments,
        loss_weights: LossWeights,
        adversarial: AdversarialLoss | None = None,
        **kwargs,
    ) -> None:
        super().__init__(model=model, args=args, **kwargs)
        self.loss_weights = loss_weights.as_dict() if isinstance(loss_weights, LossWeights) else dict(loss_weights)
        self.adversarial = adversarial
        self.discriminator = DiscriminatorUpdater(adversarial, args) if adversarial is not None else None
        self._running = RunningMeans()
        self._pending_logs: dict[str, float] = {}
        self._check_supported()
        if adversarial is not None:
            adversarial.to(args.device)

    def _check_supported(self) -> None:
        if self.is_deepspeed_enabled or self.is_fsdp_enabled:
            # Checkpoints are written from the unwrapped codec (save_pretrained) and the discriminators
            # have their own DDP wrapper: neither is implemented for sharded parameters.
            raise ValueError("XYTokenizerTrainer runs with DDP (or one process) only: DeepSpeed/FSDP are not supported")
        if self.discriminator is None:
            return
        if self.args.gradient_accumulation_steps != 1:
            raise ValueError(
                "Stage 2 alternates discriminator and generator updates every batch, so gradient accumulation is "
                f"not supported (got gradient_accumulation_steps={self.args.gradient_accumulation_steps}); raise "
                "per_device_train_batch_size or the number of processes instead"
            )

    # ------------------------------------------------------------------------------------------
    # Optimizers
    # ------------------------------------------------------------------------------------------
    def create_scheduler(self, num_training_steps: int, optimizer=None):
        scheduler = super().create_scheduler(num_training_steps, optimizer)
        if self.discriminator is not None:
            self.discriminator.setup(self.accelerator, num_training_steps)
        return scheduler

    def _discriminator_active(self) -> bool:
        return self.discriminator is not None and self.state.global_step >= self.args.discriminator_start_step

    def _adversarial_active(self) -> bool:
        return self.discriminator is not None and self.state.global_step >= self.args.adversarial_start_step

    # ------------------------------------------------------------------------------------------
    # Losses
    # ------------------------------------------------------------------------------------------
    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        outputs = model(**inputs)
        losses = dict(outputs["losses"])
        logs = {}
        real, fake, mask = outputs.get("target_values"), outputs.get("audio_values"), outputs.get("padding_mask")
        if model.training and self._discriminator_active():
            logs[DISCRIMINATOR_LOSS_NAME] = self.discriminator.step(real, fake, mask).float().item()
            logs["discriminator_learning_rate"] = self.discriminator.learning_rate()
        if self._adversarial_active():
            # One discriminator pass gives both terms: computed without gradient only when both are log-only
            # (a single 0 weight is dropped by combine_losses). Autocast as in the model's own forward.
            log_only = all(self.loss_weights[name] == 0 for name in ADVERSARIAL_NAMES)
            with torch.no_grad() if log_only else contextlib.nullcontext(), self.accelerator.autocast():
                losses.update(self.adversarial.generator_losses(real, fake, mask))
        total, term_logs = combine_losses(losses, self.loss_weights)
        if model.training:
            logs.update(term_logs)
            if "commitment_per_stage" in outputs:
                for stage, value in enumerate(outputs["commitment_per_stage"].detach().float().tolist()):
                    logs[f"vq/commitment_stage{stage}"] = value
            self._running.add(logs)
        return (total, outputs) if return_outputs else total

    # ------------------------------------------------------------------------------------------
    # Logging: every component, averaged between logging steps and across processes
    # ------------------------------------------------------------------------------------------
    def _maybe_log_save_evaluate(
        self, tr_loss, grad_norm, model, trial, epoch, ignore_keys_for_eval, start_time, **kwargs
    ):
        if self.control.should_log and self.state.global_step > self._globalstep_last_logged:
            self._pending_logs = self._running.pop(self.accelerator)
        return super()._maybe_log_save_evaluate(
            tr_loss, grad_norm, model, trial, epoch, ignore_keys_for_eval, start_time, **kwargs
        )

    def log(self, logs: dict[str, float], start_time: float | None = None) -> None:
        if "loss" in logs and self._pending_logs:
            logs = {**logs, **self._pending_logs}
            self._pending_logs = {}
        super().log(logs, start_time)

    # ------------------------------------------------------------------------------------------
    # Evaluation: mean of every loss term over the evaluation set
    # ------------------------------------------------------------------------------------------
    def evaluate(self, eval_dataset=None, ignore_keys=None, metric_key_prefix: str = "eval") -> dict[str, float]:
        dataloader = self.get_eval_dataloader(eval_dataset)
        model = self.model
        was_training = model.training
        model.eval()
        means = RunningMeans()
        with torch.no_grad():
            for inputs in dataloader:
                inputs = self._prepare_inputs(inputs)
                with self.accelerator.autocast():
                    outputs = model(**inputs)
                    losses = dict(outputs["losses"])
                    if self.adversarial is not None:
                        losses.update(self.adversarial.generator_losses(
                            outputs["target_values"], outputs["audio_values"], outputs["padding_mask"]
                        ))  # fmt: skip
                _, logs = combine_losses(losses, self.loss_weights)
                means.add(logs)
        model.train(was_training)
        metrics = {f"{metric_key_prefix}_{name}": value for name, value in means.pop(self.accelerator).items()}
        self.log(metrics)
        self.control = self.callback_handler.on_evaluate(self.args, self.state, self.control, metrics)
        return metrics

    # ------------------------------------------------------------------------------------------
    # Checkpoints: generator folder (AutoModel-loadable) + training modules + discriminators
    # ------------------------------------------------------------------------------------------
    def _save_checkpoint(self, model, trial) -> None:
        check_replicas_in_sync(self.model, self.accelerator)
        if self.adversarial is not None:
            check_replicas_in_sync(self.adversarial, self.accelerator)
        super()._save_checkpoint(model, trial)

    def _save(self, output_dir: str | None = None, state_dict=None) -> None:
        output_dir = output_dir if output_dir is not None else self.args.output_dir
        if not self.args.should_save:
            return
        os.makedirs(output_dir, exist_ok=True)
        save_generator(self.model.codec, output_dir)
        extra = self.model.extra_state_dict()
        if extra:
            save_tensors(extra, os.path.join(output_dir, TRAINING_MODULES_NAME))
        if self.adversarial is not None:
            save_tensors(self.adversarial.state_dict(), os.path.join(output_dir, DISCRIMINATOR_WEIGHTS_NAME))
        torch.save(self.args, os.path.join(output_dir, "training_args.bin"))

    def _load_from_checkpoint(self, resume_from_checkpoint: str, model=None) -> None:
        wrapper = model if model is not None else self.model
        load_generator_state(wrapper.codec, resume_from_checkpoint)
        if wrapper.extra_state_dict():
            wrapper.load_extra_state_dict(load_tensors(os.path.join(resume_from_checkpoint, TRAINING_MODULES_NAME)))
        if self.adversarial is not None:
            load_module(self.adversarial, os.path.join(resume_from_checkpoint, DISCRIMINATOR_WEIGHTS_NAME))

    def _load_best_model(self) -> None:
        self._load_from_checkpoint(self.state.best_model_checkpoint)

    def _save_optimizer_and_scheduler(self, output_dir: str) -> None:
        super()._save_optimizer_and_scheduler(output_dir)
        if self.discriminator is not None and self.args.should_save:
            self.discriminator.save(output_dir)

    def _load_optimizer_and_scheduler(self, checkpoint: str | None) -> None:
        super()._load_optimizer_and_scheduler(checkpoint)
        if checkpoint is not None and self.discriminator is not None:
            self.discriminator.load(checkpoint)
