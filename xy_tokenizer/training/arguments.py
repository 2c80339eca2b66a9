"""Hyper-parameters of a training run, as dataclasses parsed by ``HfArgumentParser`` from a YAML recipe.

Evidence tags in the help texts follow TRAINING.md: [S] stated by the authors, [P] paper via a
third-party summary, [C] forced by the released code, [I] our choice (with the reason).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from transformers import TrainingArguments

STAGES = (1, 2)
LLM_ADAPTER_INPUTS = ("quantized", "post_rvq_adapter", "code_sum")
BUILD_PREFIX = "build:"
"""A value starting with this asks the recipe to build a tiny local asset instead of loading one."""


@dataclass
class ModelArguments:
    """Which stage to run and where the weights come from."""

    stage: int = field(
        default=1,
        metadata={
            "help": "1 = pre-training 'X' (frozen semantic encoder, mel + LLM ASR + commitment losses, no "
            "discriminator); 2 = post-training 'Y' (encoder side and quantizer frozen, decoder trained with "
            "discriminators) [S]."
        },
    )
    model_name_or_path: str | None = field(
        default=None,
        metadata={
            "help": "XY-Tokenizer folder (save_pretrained / checkpoint) to start from. Stage 2 needs one (the "
            "stage-1 result). Stage 1: None builds a random model from the codec_* sizes."
        },
    )
    whisper_name_or_path: str | None = field(
        default="openai/whisper-small",
        metadata={
            "help": "Stage 1 without model_name_or_path: Whisper checkpoint (WhisperModel or "
            "WhisperForConditionalGeneration) whose encoder initialises the semantic encoder [S] and the acoustic "
            "encoder [S: figure]. None keeps the random init; 'build:tiny' builds a random Whisper of the codec's "
            "size under tiny_assets_dir (tests, tiny recipes)."
        },
    )
    init_acoustic_encoder_from_whisper: bool = field(
        default=True,
        metadata={"help": "Also initialise the (trainable) acoustic encoder from Whisper [S: blog figure]."},
    )
    stage2_train_post_rvq_adapter: bool = field(
        default=True,
        metadata={
            "help": "Stage 2: train post_rvq_adapter with the decoder. [I] The blog text says only 'the decoder' "
            "is trained while the figure freezes the 'RVQ with adapter' box; we treat the adapter as part of the "
            "decoder because it only reads the (frozen) codes."
        },
    )
    tiny_assets_dir: str = field(
        default="outputs/tiny_assets",
        metadata={"help": "Where 'build:' values put what they build (tiny Whisper, tiny LLM, tiny speech corpus)."},
    )

    def __post_init__(self) -> None:
        if self.stage not in STAGES:
            raise ValueError(f"stage must be 1 (pre-training) or 2 (post-training), but got {self.stage}")
        if self.stage == 2 and not self.model_name_or_path:
            raise ValueError(
                "stage 2 starts from a stage-1 model: set model_name_or_path to its folder (or a checkpoint-N folder)"
            )


@dataclass
class CodecArguments:
    """Sizes of a randomly initialised codec (stage 1 without model_name_or_path). None = released model."""

    codec_variant: str = field(
        default="16k", metadata={"help": "Decoder output rate preset: 16k (fnlp/XY_Tokenizer), 24k or 32k."}
    )
    codec_hidden_size: int | None = field(default=None, metadata={"help": "d_model of every stack (768)."})
    codec_num_attention_heads: int | None = field(default=None, metadata={"help": "Attention heads (12)."})
    codec_intermediate_size: int | None = field(default=None, metadata={"help": "Feed-forward width (3072)."})
    codec_semantic_encoder_layers: int | None = field(default=None, metadata={"help": "Semantic encoder layers (12)."})
    codec_semantic_adapter_layers: int | None = field(default=None, metadata={"help": "Semantic adapter layers (4)."})
    codec_acoustic_encoder_layers: int | None = field(default=None, metadata={"help": "Acoustic encoder layers (12)."})
    codec_pre_rvq_adapter_layers: int | None = field(default=None, metadata={"help": "Pre-RVQ adapter layers (4)."})
    codec_post_rvq_adapter_layers: int | None = field(default=None, metadata={"help": "Post-RVQ adapter layers (4)."})
    codec_acoustic_decoder_layers: int | None = field(default=None, metadata={"help": "Acoustic decoder layers (12)."})
    codec_num_quantizers: int | None = field(default=None, metadata={"help": "RVQ stages (8)."})
    codec_codebook_size: int | None = field(default=None, metadata={"help": "Entries per codebook (1024)."})
    codec_codebook_dim: int | None = field(default=None, metadata={"help": "RVQ dimension (512)."})
    codec_vocos_hidden_size: int | None = field(default=None, metadata={"help": "Vocos channels (512)."})
    codec_vocos_intermediate_size: int | None = field(default=None, metadata={"help": "Vocos FFN width (4096)."})
    codec_vocos_num_layers: int | None = field(default=None, metadata={"help": "Vocos ConvNeXt blocks (30)."})
    codec_max_audio_seconds: int | None = field(default=None, metadata={"help": "Window length in s (30)."})
    codec_window_context_frames: int | None = field(default=None, metadata={"help": "Window context (50)."})
    codec_original_window_overlap_frames: int | None = field(default=None, metadata={"help": "Overlap (125)."})
    codec_quantizer_dropout: float | None = field(default=None, metadata={"help": "Quantizer dropout (0.0 [C])."})
    codec_kmeans_iterations: int | None = field(default=None, metadata={"help": "k-means Lloyd iterations (10 [C])."})

    def config_overrides(self) -> dict:
        """``{XYTokenizerConfig field: value}`` for the sizes that are set."""
        prefix = "codec_"
        return {
            name[len(prefix) :]: value
            for name, value in vars(self).items()
            if name != "codec_variant" and value is not None
        }


@dataclass
class LLMArguments:
    """The stage-1 semantic branch: adapter → frozen causal LM → transcript cross-entropy."""

    llm_name_or_path: str = field(
        default="Qwen/Qwen2.5-0.5B",
        metadata={
            "help": "Frozen causal LM (any AutoModelForCausalLM + its tokenizer). [S] Qwen2.5; the size is not "
            "published, [I] 0.5B base keeps ~8 items of 30 s per H100. 'build:tiny-qwen2' builds a random tiny "
            "Qwen2 and a byte-level BPE tokenizer trained on the corpus transcripts under tiny_assets_dir."
        },
    )
    llm_dtype: str = field(
        default="float32",
        metadata={"help": "dtype of the frozen LLM weights: float32, bfloat16 or float16 (bf16 saves memory on GPU)."},
    )
    llm_adapter_input: str = field(
        default="quantized",
        metadata={
            "help": "Codec tensor the LLM adapter reads (not stated, TRAINING.md §2.2): 'quantized' = RVQ output zq "
            "(option A, [I] default: the figure hangs the adapter off the RVQ output), 'post_rvq_adapter' = the "
            "post-RVQ adapter output (B), 'code_sum' = sum of code vectors before output_proj (C)."
        },
    )
    llm_adapter_hidden_size: int | None = field(
        default=None,
        metadata={"help": "Width of the adapter MLP (LayerNorm → Linear → GELU → Linear) [I]; None = LLM hidden size."},
    )
    asr_prompt: str = field(
        default="",
        metadata={
            "help": "Text placed between the speech embeddings and the transcript (e.g. 'Transcribe the audio.'). "
            "[I] empty: the layout is [speech][transcript][eos], loss on transcript + eos only."
        },
    )
    max_transcript_tokens: int = field(
        default=256, metadata={"help": "Transcripts are truncated to this many tokens (before the EOS)."}
    )
    llm_gradient_checkpointing: bool = field(
        default=False, metadata={"help": "Gradient checkpointing in the frozen LLM (saves activation memory)."}
    )
    tiny_llm_hidden_size: int = field(default=64, metadata={"help": "'build:tiny-qwen2': hidden size."})
    tiny_llm_layers: int = field(default=2, metadata={"help": "'build:tiny-qwen2': decoder layers."})
    tiny_llm_vocab_size: int = field(default=384, metadata={"help": "'build:tiny-qwen2': BPE vocabulary size."})
    tiny_llm_initializer_range: float = field(
        default=0.02, metadata={"help": "'build:tiny-qwen2': std of the random init (embedding length)."}
    )
    tiny_llm_pretrain_steps: int = field(
        default=0,
        metadata={
            "help": "'build:tiny-qwen2': text-LM training steps on the training transcripts before it is frozen "
            "(0 = purely random). A stand-in for a pretrained Qwen2.5: a tiny random LM can hardly be steered."
        },
    )

    def __post_init__(self) -> None:
        if self.llm_adapter_input not in LLM_ADAPTER_INPUTS:
            raise ValueError(
                f"llm_adapter_input must be one of {LLM_ADAPTER_INPUTS}, but got {self.llm_adapter_input!r}"
            )
        if self.llm_dtype not in ("float32", "bfloat16", "float16"):
            raise ValueError(f"llm_dtype must be float32, bfloat16 or float16, but got {self.llm_dtype!r}")
        if self.max_transcript_tokens < 1:
            raise ValueError(f"max_transcript_tokens must be >= 1, but got {self.max_transcript_tokens}")


@dataclass
class DataArguments:
    """Where the audio (and transcripts) come from and how items are cut."""

    dataset_name: str | None = field(
        default=None,
        metadata={
            "help": "datasets.load_dataset path (Hub id, local folder or builder such as 'csv'/'json'), or "
            "'build:tiny-speech' to synthesise a small English corpus (espeak-ng if installed, else a synthetic "
            "'tone language') under tiny_assets_dir."
        },
    )
    dataset_config_name: str | None = field(default=None, metadata={"help": "Dataset configuration name."})
    train_files: list[str] | None = field(
        default=None,
        metadata={"help": "data_files of the training split (e.g. CSV/JSON manifests with a path and a text column)."},
    )
    eval_files: list[str] | None = field(default=None, metadata={"help": "data_files of the evaluation split."})
    dataset_from_disk: str | None = field(
        default=None, metadata={"help": "A DatasetDict/Dataset saved with save_to_disk (instead of dataset_name)."}
    )
    train_split: str = field(default="train", metadata={"help": "Training split name."})
    eval_split: str | None = field(default=None, metadata={"help": "Evaluation split name (None: no evaluation set)."})
    audio_column: str = field(
        default="audio",
        metadata={
            "help": "Column holding audio: a path, {'bytes','path'} (an Audio feature is read undecoded and "
            "decoded with soundfile + soxr, no ffmpeg/torchcodec), or {'array','sampling_rate'}."
        },
    )
    text_column: str | None = field(
        default="text",
        metadata={"help": "Transcript column for the stage-1 ASR loss ('a.b' reads a nested field); None = no ASR."},
    )
    audio_root: str | None = field(
        default=None, metadata={"help": "Base folder of relative audio paths (default: the manifest's folder)."}
    )
    crop_seconds: float | None = field(
        default=None,
        metadata={
            "help": "Random crop length in s, rounded down to whole code frames (80 ms = the x4 downsample of the "
            "50 Hz encoder). None: whole utterances up to the model window. An item that is cropped loses its ASR "
            "target (the transcript would no longer match). [I] stage 1: None, stage 2: 3 s."
        },
    )
    max_train_samples: int | None = field(default=None, metadata={"help": "Use only the first N training items."})
    max_eval_samples: int | None = field(default=None, metadata={"help": "Use only the first N evaluation items."})
    tiny_corpus_size: int = field(
        default=240, metadata={"help": "'build:tiny-speech': number of synthesised utterances (a tenth held out)."}
    )
    tiny_corpus_engine: str = field(
        default="auto",
        metadata={"help": "'build:tiny-speech': 'espeak' (espeak-ng), 'tones' or 'auto' (espeak if found)."},
    )
    tiny_corpus_extra_audio: list[str] | None = field(
        default=None,
        metadata={"help": "'build:tiny-speech': extra real recordings (files/folders) added without transcripts."},
    )

    def __post_init__(self) -> None:
        sources = [self.dataset_name is not None or self.train_files is not None, self.dataset_from_disk is not None]
        if sum(sources) != 1:
            raise ValueError(
                "Give exactly one data source: dataset_name (+ optional train_files), train_files, or dataset_from_disk"
            )
        if self.crop_seconds is not None and self.crop_seconds <= 0:
            raise ValueError(f"crop_seconds must be positive or None, but got {self.crop_seconds}")
        if self.tiny_corpus_engine not in ("auto", "espeak", "tones"):
            raise ValueError(f"tiny_corpus_engine must be auto, espeak or tones, but got {self.tiny_corpus_engine!r}")


@dataclass
class XYTokenizerTrainingArguments(TrainingArguments):
    """``TrainingArguments`` plus the discriminator optimizer and sample writing.

    Changed defaults ([I], TRAINING.md §2.5 / §3.3): AdamW betas (0.8, 0.99) and weight decay 0.01 (codec
    practice), gradient clipping 1.0, cosine schedule, unused columns kept (the collator's keys are the
    model's inputs), no per-step DDP buffer broadcast. Runs use DDP (or one process): DeepSpeed and FSDP
    are refused by the trainer.
    """

    adam_beta1: float = field(default=0.8, metadata={"help": "AdamW beta1 of the generator [I] (codec practice)."})
    adam_beta2: float = field(default=0.99, metadata={"help": "AdamW beta2 of the generator [I]."})
    weight_decay: float = field(default=0.01, metadata={"help": "AdamW weight decay of the generator [I]."})
    lr_scheduler_type: str = field(default="cosine", metadata={"help": "Scheduler of both optimizers [I]."})
    remove_unused_columns: bool = field(default=False, metadata={"help": "Keep all collator outputs."})
    ddp_broadcast_buffers: bool | None = field(
        default=False,
        metadata={
            "help": "DDP re-broadcast of all buffers from rank 0 before every forward. Off: the RVQ codebooks are "
            "kept identical by the quantizer's own all-reduce/broadcast (checked at every checkpoint), and "
            "re-sending them (8 x 1024 x 512 x 3 floats) each step would only cost bandwidth."
        },
    )
    discriminator_learning_rate: float = field(
        default=2e-4, metadata={"help": "Stage 2: discriminator AdamW learning rate [I] (HiFi-GAN/Vocos 2e-4)."}
    )
    discriminator_adam_beta1: float = field(default=0.8, metadata={"help": "Discriminator AdamW beta1 [I]."})
    discriminator_adam_beta2: float = field(default=0.99, metadata={"help": "Discriminator AdamW beta2 [I]."})
    discriminator_weight_decay: float = field(default=0.0, metadata={"help": "Discriminator AdamW weight decay [I]."})
    discriminator_max_grad_norm: float = field(
        default=10.0, metadata={"help": "Discriminator gradient clipping (0 = off) [I] (DAC clips at 10)."}
    )
    adversarial_start_step: int = field(
        default=0,
        metadata={
            "help": "Stage 2: generator steps trained on the mel loss alone before the adversarial and "
            "feature-matching terms reach the generator [I] (0: from the first step)."
        },
    )
    discriminator_start_step: int | None = field(
        default=None,
        metadata={
            "help": "Stage 2: step from which the discriminators are trained (None: adversarial_start_step). A value "
            "below adversarial_start_step warms the discriminators up on the real/generated audio first, so the "
            "generator's first adversarial gradients come from discriminators already trained on its output "
            "rather than from random ones [I]."
        },
    )
    sample_steps: int = field(
        default=0,
        metadata={"help": "Write audio + mel PNG samples every N steps into output_dir/samples (0 = at every save)."},
    )
    num_sample_clips: int = field(default=2, metadata={"help": "Held-out clips rendered at each sample step."})

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.discriminator_learning_rate <= 0:
            raise ValueError(
                f"discriminator_learning_rate must be positive, but got {self.discriminator_learning_rate}"
            )
        if self.adversarial_start_step < 0 or self.sample_steps < 0 or self.num_sample_clips < 0:
            raise ValueError("adversarial_start_step, sample_steps and num_sample_clips must be >= 0")
        if self.discriminator_start_step is None:
            self.discriminator_start_step = self.adversarial_start_step
        if not 0 <= self.discriminator_start_step <= self.adversarial_start_step:
            raise ValueError(
                "discriminator_start_step must be between 0 and adversarial_start_step (the generator cannot learn "
                f"from a discriminator that is not trained yet), but got {self.discriminator_start_step} and "
                f"{self.adversarial_start_step}"
            )
