"""Build a ready-to-train :class:`XYTokenizerTrainer` from a :class:`Recipe`."""

from __future__ import annotations

import logging

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, set_seed

from ..configuration_xy_tokenizer import XYTokenizerConfig
from ..modeling_xy_tokenizer import XYTokenizerModel
from .adversarial import AdversarialLoss
from .assets import resolve_llm, resolve_tiny_data, resolve_whisper
from .audio_dataset import AudioTextDataset, CropPolicy
from .collator import AudioTextCollator
from .data_sources import default_audio_root, load_splits
from .llm_branch import LLMTranscriptionLoss, SpeechToLLMAdapter
from .losses import MultiScaleMelLoss
from .posttraining import XYTokenizerForPostTraining
from .pretraining import XYTokenizerForPreTraining
from .recipe import Recipe
from .samples import AudioSampleCallback
from .trainer import XYTokenizerTrainer
from .whisper_init import ENCODER_NAMES, initialize_encoders_from_whisper

logger = logging.getLogger(__name__)

# Loss terms that cannot exist in a stage (their weight must be 0).
ABSENT_TERMS = {1: ("loss/adv", "loss/fm"), 2: ("loss/asr", "vq/commitment")}


def check_weights(recipe: Recipe) -> None:
    """Refuse weights for terms the stage does not compute (a silent no-op would mislead)."""
    weights = recipe.weights.as_dict()
    wrong = {name: weights[name] for name in ABSENT_TERMS[recipe.model.stage] if weights[name] != 0}
    if wrong:
        raise ValueError(
            f"Stage {recipe.model.stage} has no {sorted(wrong)} term; set their weights to 0 (got {wrong})"
        )
    active = [name for name in weights if name not in ABSENT_TERMS[recipe.model.stage]]
    if any(weights[name] == 0 for name in active) and recipe.training.ddp_find_unused_parameters is None:
        # A log-only term leaves some parameters without gradient; DDP must be told.
        recipe.training.ddp_find_unused_parameters = True


def build_codec(recipe: Recipe) -> XYTokenizerModel:
    """Load ``model_name_or_path``, or build a random codec and initialise its encoders from Whisper."""
    model_args = recipe.model
    if model_args.model_name_or_path:
        codec = XYTokenizerModel.from_pretrained(model_args.model_name_or_path)
        if model_args.stage == 2 and not all(bool(stage.inited) for stage in codec.quantizer.quantizers):
            raise ValueError(
                f"{model_args.model_name_or_path} has uninitialised codebooks: stage 2 needs a stage-1 trained model"
            )
        return codec
    codec = XYTokenizerModel(codec_config(recipe))
    whisper = model_args.whisper_name_or_path
    if whisper is not None:
        encoders = ENCODER_NAMES if model_args.init_acoustic_encoder_from_whisper else ENCODER_NAMES[:1]
        initialize_encoders_from_whisper(codec, whisper, encoders)
        logger.info("Initialised %s from %s", encoders, whisper)
    return codec


def codec_config(recipe: Recipe) -> XYTokenizerConfig:
    """The configuration of a codec built from scratch (``codec_*`` sizes over the released defaults)."""
    return XYTokenizerConfig.from_variant(recipe.codec.codec_variant, **recipe.codec.config_overrides())


def resolve_assets(recipe: Recipe) -> None:
    """Turn every ``build:`` value of the recipe into a local folder, building what is missing."""
    resolve_tiny_data(recipe.data, recipe.model, recipe.training.seed)
    if not recipe.model.model_name_or_path:
        recipe.model.whisper_name_or_path = resolve_whisper(recipe.model, codec_config(recipe))
    if recipe.model.stage == 1 and recipe.data.text_column is not None:
        recipe.llm.llm_name_or_path = resolve_llm(recipe.llm, recipe.model, recipe.data)


def adapter_input_size(codec: XYTokenizerModel, adapter_input: str) -> int:
    config = codec.config
    return config.codebook_dim if adapter_input == "code_sum" else config.hidden_size * config.downsample_factor


def build_transcription(recipe: Recipe, codec: XYTokenizerModel) -> tuple[LLMTranscriptionLoss, object]:
    """The frozen LLM, its adapter and its tokenizer."""
    llm_args = recipe.llm
    path = llm_args.llm_name_or_path
    dtype = getattr(torch, llm_args.llm_dtype)
    llm = AutoModelForCausalLM.from_pretrained(path, dtype=dtype)
    if llm_args.llm_gradient_checkpointing:
        llm.gradient_checkpointing_enable()
    tokenizer = AutoTokenizer.from_pretrained(path)
    hidden = llm.get_input_embeddings().embedding_dim
    adapter = SpeechToLLMAdapter(
        adapter_input_size(codec, llm_args.llm_adapter_input), hidden, llm_args.llm_adapter_hidden_size
    )
    prompt = tokenizer(llm_args.asr_prompt, add_special_tokens=False)["input_ids"] if llm_args.asr_prompt else []
    return LLMTranscriptionLoss(llm, adapter, torch.tensor(prompt, dtype=torch.long)), tokenizer


def build_model(recipe: Recipe, codec: XYTokenizerModel):
    """``(wrapper, adversarial or None, tokenizer or None)`` for the recipe's stage."""
    weights = recipe.weights.as_dict()
    mel_loss = MultiScaleMelLoss(codec.config.output_sampling_rate, recipe.mel)
    if recipe.model.stage == 1:
        transcription, tokenizer = (None, None)
        if recipe.data.text_column is not None:
            transcription, tokenizer = build_transcription(recipe, codec)
        wrapper = XYTokenizerForPreTraining(codec, mel_loss, weights, transcription, recipe.llm.llm_adapter_input)
        return wrapper, None, tokenizer
    wrapper = XYTokenizerForPostTraining(codec, mel_loss, weights, recipe.model.stage2_train_post_rvq_adapter)
    return wrapper, AdversarialLoss(recipe.discriminator, codec.config.output_sampling_rate), None


def build_datasets(recipe: Recipe, config: XYTokenizerConfig) -> tuple[AudioTextDataset, AudioTextDataset | None]:
    data = recipe.data
    train, evaluation = load_splits(data)
    text_column = data.text_column if recipe.model.stage == 1 else None
    crop = data.crop_seconds
    policy = dict(
        sampling_rate=config.sampling_rate,
        output_sampling_rate=config.output_sampling_rate,
        samples_per_code=config.samples_per_code,
        max_samples=config.max_window_samples,
    )
    root = default_audio_root(data)
    crop_samples = int(crop * config.sampling_rate) if crop is not None else None
    seed = recipe.training.data_seed if recipe.training.data_seed is not None else recipe.training.seed
    train_set = AudioTextDataset(
        train, CropPolicy(**policy, crop_samples=crop_samples), data.audio_column, text_column, root, seed
    )
    eval_set = None
    if evaluation is not None:
        eval_set = AudioTextDataset(evaluation, CropPolicy(**policy), data.audio_column, text_column, root, seed)
    return train_set, eval_set


def build_trainer(recipe: Recipe) -> XYTokenizerTrainer:
    """Everything a run needs, ready for ``trainer.train(resume_from_checkpoint=...)``."""
    check_weights(recipe)
    with recipe.training.main_process_first(desc="building local assets"):
        resolve_assets(recipe)
    set_seed(recipe.training.seed)
    codec = build_codec(recipe)
    wrapper, adversarial, tokenizer = build_model(recipe, codec)
    train_set, eval_set = build_datasets(recipe, codec.config)
    sample_source = eval_set if eval_set is not None else train_set
    clips = [sample_source[i] for i in range(min(recipe.training.num_sample_clips, len(sample_source)))]
    return XYTokenizerTrainer(
        model=wrapper,
        args=recipe.training,
        loss_weights=recipe.weights,
        adversarial=adversarial,
        train_dataset=train_set,
        eval_dataset=eval_set,
        data_collator=AudioTextCollator(tokenizer, recipe.llm.max_transcript_tokens),
        callbacks=[AudioSampleCallback(clips, recipe.training.sample_steps)],
    )
