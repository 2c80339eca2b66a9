"""Configuration of the XY-Tokenizer speech codec (arXiv 2506.23325).

Part of the Hub remote-code bundle: imports only the public `transformers` API.
"""

import math

from transformers import PreTrainedConfig


def normalize_auto_map(auto_map: dict | None) -> dict | None:
    """transformers' `custom_object_save` treats every class whose name contains "Tokenizer" as a
    text tokenizer and writes a `[slow, fast]` pair, which `AutoModel`/`AutoConfig` then cannot
    read. Store plain `"module.Class"` strings instead."""
    if not auto_map:
        return auto_map
    return {
        key: value[0] if isinstance(value, (list, tuple)) and len(value) == 2 and value[1] is None else value
        for key, value in auto_map.items()
    }


class XYTokenizerConfig(PreTrainedConfig):
    r"""
    Configuration of [`XYTokenizerModel`]. The defaults build the released 16 kHz model
    (`fnlp/XY_Tokenizer`); [`~XYTokenizerConfig.from_variant`] gives the 24 kHz and 32 kHz
    MOSS-TTSD decoders, and [`~XYTokenizerConfig.from_original_generator_params`] reads the
    `generator_params` block of an original YAML file.

    Data flow (16 kHz model): 16 kHz audio → 100 Hz log-mel → 50 Hz semantic and acoustic encoders →
    12.5 Hz residual VQ codes → 50 Hz → 100 Hz latent → waveform at `output_sampling_rate`.

    Args:
        sampling_rate (`int`, *optional*, defaults to 16000):
            Sampling rate of the audio the encoder reads (the Whisper front end).
        output_sampling_rate (`int`, *optional*, defaults to 16000):
            Sampling rate of the audio the decoder writes (16000, 24000 or 32000 for the releases).
        num_mel_bins (`int`, *optional*, defaults to 80):
            Log-mel bands of the Whisper front end; also the width of the decoder's 100 Hz latent.
        mel_n_fft (`int`, *optional*, defaults to 400):
            FFT size of the front-end STFT (25 ms at 16 kHz).
        mel_hop_length (`int`, *optional*, defaults to 160):
            Hop of the front-end STFT (10 ms at 16 kHz → 100 Hz mel frames).
        max_audio_seconds (`int`, *optional*, defaults to 30):
            Longest audio one forward pass sees (Whisper's window); sizes every positional table.
            Longer audio is split into windows by `encode` / `decode`.
        hidden_size (`int`, *optional*, defaults to 768):
            Width (d_model) of every transformer stack: encoders, adapters and acoustic decoder.
        num_attention_heads (`int`, *optional*, defaults to 12):
            Attention heads of every transformer layer.
        intermediate_size (`int`, *optional*, defaults to 3072):
            Feed-forward width of every transformer layer.
        semantic_encoder_layers (`int`, *optional*, defaults to 12):
            Layers of the frozen Whisper-small-shaped semantic encoder.
        semantic_adapter_layers (`int`, *optional*, defaults to 4):
            Layers of the trainable adapter after the semantic encoder.
        acoustic_encoder_layers (`int`, *optional*, defaults to 12):
            Layers of the Whisper-small-shaped acoustic encoder.
        pre_rvq_adapter_layers (`int`, *optional*, defaults to 4):
            Layers of the adapter that fuses both encoders before downsampling.
        post_rvq_adapter_layers (`int`, *optional*, defaults to 4):
            Layers of the adapter after the quantizer.
        acoustic_decoder_layers (`int`, *optional*, defaults to 12):
            Layers of the 50 Hz acoustic decoder.
        conv_kernel_size (`int`, *optional*, defaults to 3):
            Kernel of the encoders' input convolutions and of the decoder's transposed convolutions.
        conv_stride (`int`, *optional*, defaults to 2):
            100 Hz → 50 Hz stride of the encoders (and 50 Hz → 100 Hz of the decoder).
        downsample_factor (`int`, *optional*, defaults to 4):
            50 Hz → 12.5 Hz factor of the gated strided convolution before the quantizer.
        upsample_factor (`int`, *optional*, defaults to 4):
            12.5 Hz → 50 Hz factor of the transposed convolution after the quantizer.
        activation_function (`str`, *optional*, defaults to `"gelu"`):
            Activation of every transformer feed-forward and of the encoder/decoder convolutions (exact erf GELU).
        layer_norm_eps (`float`, *optional*, defaults to 1e-5):
            Epsilon of the transformer, encoder and downsample LayerNorms.
        attention_dropout (`float`, *optional*, defaults to 0.0):
            Dropout on attention probabilities (training only).
        num_quantizers (`int`, *optional*, defaults to 8):
            Residual VQ stages (codebooks); `encode(num_quantizers=n)` may use fewer.
        codebook_size (`int`, *optional*, defaults to 1024):
            Entries per codebook (10 bits per code).
        codebook_dim (`int`, *optional*, defaults to 512):
            Dimension of the quantized space (`rvq_dim`); projections map from/to the 12.5 Hz features.
        commitment_weight (`float`, *optional*, defaults to 1.0):
            Weight of each stage's commitment MSE (`commitment` in the original YAML).
        codebook_ema_decay (`float`, *optional*, defaults to 0.99):
            Decay of the EMA codebook update during training.
        codebook_epsilon (`float`, *optional*, defaults to 1e-5):
            Laplace smoothing of the EMA cluster sizes.
        dead_code_threshold (`float`, *optional*, defaults to 2.0):
            Codes whose EMA cluster size falls below this are re-seeded from the batch during training.
        kmeans_init (`bool`, *optional*, defaults to `True`):
            Initialise each codebook with k-means on the first training batch.
        kmeans_iterations (`int`, *optional*, defaults to 10):
            Lloyd iterations of that k-means.
        quantizer_dropout (`float`, *optional*, defaults to 0.0):
            Fraction of training items that use a random number (1…num_quantizers) of stages.
        vocos_hidden_size (`int`, *optional*, defaults to 512):
            Channels of the Vocos ConvNeXt backbone.
        vocos_intermediate_size (`int`, *optional*, defaults to 4096):
            Feed-forward width inside each ConvNeXt block.
        vocos_num_layers (`int`, *optional*, defaults to 30):
            ConvNeXt blocks of the Vocos backbone.
        vocos_kernel_size (`int`, *optional*, defaults to 7):
            Kernel of the Vocos embedding and depthwise convolutions.
        vocos_n_fft (`int`, *optional*, defaults to 640):
            FFT size of the Vocos ISTFT head (640 / 960 / 1280 for 16 / 24 / 32 kHz).
        vocos_hop_length (`int`, *optional*, defaults to 160):
            Hop of the Vocos ISTFT head (output samples per 100 Hz latent frame).
        vocos_layer_norm_eps (`float`, *optional*, defaults to 1e-6):
            Epsilon of the Vocos LayerNorms.
        vocos_max_magnitude (`float`, *optional*, defaults to 100.0):
            Upper clip of `exp(log_magnitude)` in the ISTFT head.
        window_context_frames (`int`, *optional*, defaults to 50):
            Code frames (4 s) of context on each side of a window in the default `"context"` windowing
            of audio longer than `max_audio_seconds`: each 30 s window keeps its middle 22 s.
        original_window_overlap_frames (`int`, *optional*, defaults to 125):
            Right-only context (10 s, the original wrapper's `overlap_seconds`) of `"original"` windowing.
        cpu_window_batch_frames (`int`, *optional*, defaults to 375):
            On CPU, `encode`/`decode` group windows into forward passes of at most this many code
            frames, padding included (one full window). Measured on 2 threads, bigger CPU batches
            were slower than one window at a time (memory-bound); accelerators run all windows at once.
        initializer_range (`float`, *optional*, defaults to 0.02):
            Standard deviation of the normal initialiser of linear layers.
    """

    model_type = "xy_tokenizer"
    # Always saved with its code and `auto_map`, so that every saved folder is Hub remote code.
    _auto_class = "AutoConfig"

    def __init__(
        self,
        sampling_rate: int = 16000,
        output_sampling_rate: int = 16000,
        num_mel_bins: int = 80,
        mel_n_fft: int = 400,
        mel_hop_length: int = 160,
        max_audio_seconds: int = 30,
        hidden_size: int = 768,
        num_attention_heads: int = 12,
        intermediate_size: int = 3072,
        semantic_encoder_layers: int = 12,
        semantic_adapter_layers: int = 4,
        acoustic_encoder_layers: int = 12,
        pre_rvq_adapter_layers: int = 4,
        post_rvq_adapter_layers: int = 4,
        acoustic_decoder_layers: int = 12,
        conv_kernel_size: int = 3,
        conv_stride: int = 2,
        downsample_factor: int = 4,
        upsample_factor: int = 4,
        activation_function: str = "gelu",
        layer_norm_eps: float = 1e-5,
        attention_dropout: float = 0.0,
        num_quantizers: int = 8,
        codebook_size: int = 1024,
        codebook_dim: int = 512,
        commitment_weight: float = 1.0,
        codebook_ema_decay: float = 0.99,
        codebook_epsilon: float = 1e-5,
        dead_code_threshold: float = 2.0,
        kmeans_init: bool = True,
        kmeans_iterations: int = 10,
        quantizer_dropout: float = 0.0,
        vocos_hidden_size: int = 512,
        vocos_intermediate_size: int = 4096,
        vocos_num_layers: int = 30,
        vocos_kernel_size: int = 7,
        vocos_n_fft: int = 640,
        vocos_hop_length: int = 160,
        vocos_layer_norm_eps: float = 1e-6,
        vocos_max_magnitude: float = 100.0,
        window_context_frames: int = 50,
        original_window_overlap_frames: int = 125,
        cpu_window_batch_frames: int = 375,
        initializer_range: float = 0.02,
        **kwargs,
    ):
        self.sampling_rate = sampling_rate
        self.output_sampling_rate = output_sampling_rate
        self.num_mel_bins = num_mel_bins
        self.mel_n_fft = mel_n_fft
        self.mel_hop_length = mel_hop_length
        self.max_audio_seconds = max_audio_seconds
        self.hidden_size = hidden_size
        self.num_attention_heads = num_attention_heads
        self.intermediate_size = intermediate_size
        self.semantic_encoder_layers = semantic_encoder_layers
        self.semantic_adapter_layers = semantic_adapter_layers
        self.acoustic_encoder_layers = acoustic_encoder_layers
        self.pre_rvq_adapter_layers = pre_rvq_adapter_layers
        self.post_rvq_adapter_layers = post_rvq_adapter_layers
        self.acoustic_decoder_layers = acoustic_decoder_layers
        self.conv_kernel_size = conv_kernel_size
        self.conv_stride = conv_stride
        self.downsample_factor = downsample_factor
        self.upsample_factor = upsample_factor
        self.activation_function = activation_function
        self.layer_norm_eps = layer_norm_eps
        self.attention_dropout = attention_dropout
        self.num_quantizers = num_quantizers
        self.codebook_size = codebook_size
        self.codebook_dim = codebook_dim
        self.commitment_weight = commitment_weight
        self.codebook_ema_decay = codebook_ema_decay
        self.codebook_epsilon = codebook_epsilon
        self.dead_code_threshold = dead_code_threshold
        self.kmeans_init = kmeans_init
        self.kmeans_iterations = kmeans_iterations
        self.quantizer_dropout = quantizer_dropout
        self.vocos_hidden_size = vocos_hidden_size
        self.vocos_intermediate_size = vocos_intermediate_size
        self.vocos_num_layers = vocos_num_layers
        self.vocos_kernel_size = vocos_kernel_size
        self.vocos_n_fft = vocos_n_fft
        self.vocos_hop_length = vocos_hop_length
        self.vocos_layer_norm_eps = vocos_layer_norm_eps
        self.vocos_max_magnitude = vocos_max_magnitude
        self.window_context_frames = window_context_frames
        self.original_window_overlap_frames = original_window_overlap_frames
        self.cpu_window_batch_frames = cpu_window_batch_frames
        self.initializer_range = initializer_range
        super().__init__(**kwargs)
        self._validate_sizes()

    def _validate_sizes(self):
        if self.hidden_size % self.num_attention_heads != 0:
            raise ValueError(
                f"hidden_size ({self.hidden_size}) must be divisible by num_attention_heads ({self.num_attention_heads})."
            )
        if (self.sampling_rate * self.max_audio_seconds) % self.samples_per_code != 0:
            raise ValueError(
                f"max_audio_seconds={self.max_audio_seconds} s must hold a whole number of code frames "
                f"of {self.samples_per_code} samples at {self.sampling_rate} Hz."
            )
        if self.vocos_n_fft < self.vocos_hop_length or (self.vocos_n_fft - self.vocos_hop_length) % 2:
            raise ValueError(
                f"vocos_n_fft ({self.vocos_n_fft}) - vocos_hop_length ({self.vocos_hop_length}) must be even and "
                "non-negative: the ISTFT head trims half of it from each end."
            )
        if 2 * self.window_context_frames >= self.max_code_frames or self.original_window_overlap_frames >= self.max_code_frames:
            raise ValueError(
                f"Window contexts ({self.window_context_frames} per side, {self.original_window_overlap_frames} "
                f"overlap) must leave frames to keep in a window of {self.max_code_frames}."
            )
        if not 1 <= self.num_quantizers:
            raise ValueError(f"num_quantizers must be >= 1, got {self.num_quantizers}.")

    def to_dict(self) -> dict:
        output = super().to_dict()
        if "auto_map" in output:
            output["auto_map"] = normalize_auto_map(output["auto_map"])
        return output

    # ----------------------------------------------------------------------------------------
    # Derived sizes
    # ----------------------------------------------------------------------------------------
    @property
    def samples_per_code(self) -> int:
        """Input samples per code frame (1280 at 16 kHz: 80 ms)."""
        return self.mel_hop_length * self.conv_stride * self.downsample_factor

    @property
    def output_samples_per_code(self) -> int:
        """Output samples per code frame (1280 / 1920 / 2560 for 16 / 24 / 32 kHz)."""
        return self.vocos_hop_length * self.conv_stride * self.upsample_factor

    @property
    def hop_length(self) -> int:
        """Alias of `samples_per_code`, the name transformers' codecs use for the encoder hop."""
        return self.samples_per_code

    @property
    def frame_rate(self) -> float:
        """Code frames per second (12.5)."""
        return self.sampling_rate / self.samples_per_code

    @property
    def bits_per_code(self) -> float:
        """Bits carried by one code of one codebook (10 for 1024 entries)."""
        return math.log2(self.codebook_size)

    @property
    def bitrate(self) -> float:
        """Bits per second with all quantizers (1000.0 for the released models)."""
        return self.num_quantizers * self.bits_per_code * self.frame_rate

    @property
    def max_window_samples(self) -> int:
        """Input samples one forward pass can see (480 000 = 30 s)."""
        return self.sampling_rate * self.max_audio_seconds

    @property
    def max_mel_frames(self) -> int:
        """100 Hz mel frames in one window (3000)."""
        return self.max_window_samples // self.mel_hop_length

    @property
    def max_encoder_positions(self) -> int:
        """50 Hz positions in one window (1500): size of the encoder/decoder positional tables."""
        return self.max_mel_frames // self.conv_stride

    @property
    def max_code_frames(self) -> int:
        """Code frames in one window (375): size of the post-RVQ adapter's positional table."""
        return self.max_window_samples // self.samples_per_code

    @property
    def ratio_output_input(self) -> float:
        """Output samples per input sample (1.0, 1.5 or 2.0)."""
        return self.output_samples_per_code / self.samples_per_code

    # ----------------------------------------------------------------------------------------
    # Presets and the original YAML format
    # ----------------------------------------------------------------------------------------
    VARIANTS = {
        # name: (output_sampling_rate, vocos_n_fft, vocos_hop_length)
        "16k": (16000, 640, 160),
        "24k": (24000, 960, 240),
        "32k": (32000, 1280, 320),
    }

    @classmethod
    def from_variant(cls, variant: str = "16k", **kwargs) -> "XYTokenizerConfig":
        """Configuration of a released model: `"16k"` (fnlp/XY_Tokenizer), `"24k"`
        (fnlp/XY_Tokenizer_TTSD_V0) or `"32k"` (fnlp/XY_Tokenizer_TTSD_V0_32k, MOSS_TTSD_tokenizer).
        Keyword arguments override single fields (e.g. to shrink a model for tests)."""
        if variant not in cls.VARIANTS:
            raise ValueError(f"Unknown variant {variant!r}; expected one of {sorted(cls.VARIANTS)}.")
        output_sampling_rate, n_fft, hop = cls.VARIANTS[variant]
        values = {"output_sampling_rate": output_sampling_rate, "vocos_n_fft": n_fft, "vocos_hop_length": hop}
        values.update(kwargs)
        return cls(**values)

    @classmethod
    def from_original_generator_params(cls, generator_params: dict) -> "XYTokenizerConfig":
        """Build the configuration from the `generator_params` mapping of an original XY-Tokenizer
        YAML file (official 16 kHz or MOSS-TTSD 24/32 kHz layout).

        Every size is read from the file; a value our architecture cannot represent (e.g. stacks
        of different widths) raises `ValueError` instead of being guessed.
        """
        p = generator_params
        required = [
            "semantic_encoder_kwargs", "semantic_encoder_adapter_kwargs", "acoustic_encoder_kwargs",
            "pre_rvq_adapter_kwargs", "downsample_kwargs", "quantizer_kwargs", "post_rvq_adapter_kwargs",
            "upsample_kwargs", "acoustic_decoder_kwargs", "vocos_kwargs",
        ]  # fmt: skip
        missing = [key for key in required if key not in p]
        if missing:
            raise ValueError(f"generator_params lacks {missing}; is this an XY-Tokenizer YAML?")
        sem, sem_ad, ac = p["semantic_encoder_kwargs"], p["semantic_encoder_adapter_kwargs"], p["acoustic_encoder_kwargs"]
        pre, down, vq = p["pre_rvq_adapter_kwargs"], p["downsample_kwargs"], p["quantizer_kwargs"]
        post, up, dec, voc = p["post_rvq_adapter_kwargs"], p["upsample_kwargs"], p["acoustic_decoder_kwargs"], p["vocos_kwargs"]
        fe = p.get("feature_extractor_kwargs", {})

        def one_value(name, *pairs):
            values = {block_name: block[key] for block_name, block, key in pairs if key in block}
            distinct = set(values.values())
            if len(distinct) != 1:
                raise ValueError(f"XYTokenizerConfig needs one {name} for all stacks, the YAML gives {values}.")
            return distinct.pop()

        hidden = one_value(
            "hidden_size",
            ("semantic_encoder", sem, "d_model"), ("semantic_encoder_adapter", sem_ad, "d_model"),
            ("acoustic_encoder", ac, "d_model"), ("pre_rvq_adapter", pre, "d_model"), ("downsample", down, "d_model"),
            ("post_rvq_adapter", post, "d_model"), ("upsample", up, "d_model"), ("acoustic_decoder", dec, "d_model"),
        )  # fmt: skip
        heads = one_value(
            "num_attention_heads",
            ("semantic_encoder", sem, "encoder_attention_heads"), ("acoustic_encoder", ac, "encoder_attention_heads"),
            ("semantic_encoder_adapter", sem_ad, "encoder_attention_heads"),
            ("pre_rvq_adapter", pre, "encoder_attention_heads"), ("post_rvq_adapter", post, "encoder_attention_heads"),
            ("acoustic_decoder", dec, "decoder_attention_heads"),
        )  # fmt: skip
        ffn = one_value(
            "intermediate_size",
            ("semantic_encoder", sem, "encoder_ffn_dim"), ("acoustic_encoder", ac, "encoder_ffn_dim"),
            ("semantic_encoder_adapter", sem_ad, "encoder_ffn_dim"), ("pre_rvq_adapter", pre, "encoder_ffn_dim"),
            ("post_rvq_adapter", post, "encoder_ffn_dim"), ("acoustic_decoder", dec, "decoder_ffn_dim"),
        )  # fmt: skip
        input_rate = p.get("input_sample_rate", p.get("sample_rate", 16000))
        output_rate = p.get("output_sample_rate", p.get("sample_rate", input_rate))
        config = cls(
            sampling_rate=input_rate,
            output_sampling_rate=output_rate,
            num_mel_bins=one_value("num_mel_bins", ("semantic_encoder", sem, "num_mel_bins"),
                                   ("acoustic_encoder", ac, "num_mel_bins"), ("acoustic_decoder", dec, "num_mel_bins"),
                                   ("vocos", voc, "input_channels"), ("feature_extractor", fe, "feature_size")),
            mel_n_fft=fe.get("n_fft", 400),
            mel_hop_length=one_value("mel_hop_length", ("semantic_encoder", sem, "hop_length"),
                                     ("acoustic_encoder", ac, "hop_length"), ("feature_extractor", fe, "hop_length")),
            max_audio_seconds=one_value("max_audio_seconds", ("semantic_encoder", sem, "max_audio_seconds"),
                                        ("acoustic_encoder", ac, "max_audio_seconds"),
                                        ("acoustic_decoder", dec, "max_audio_seconds"),
                                        ("feature_extractor", fe, "chunk_length")),
            hidden_size=hidden,
            num_attention_heads=heads,
            intermediate_size=ffn,
            semantic_encoder_layers=sem["encoder_layers"],
            semantic_adapter_layers=sem_ad["encoder_layers"],
            acoustic_encoder_layers=ac["encoder_layers"],
            pre_rvq_adapter_layers=pre["encoder_layers"],
            post_rvq_adapter_layers=post["encoder_layers"],
            acoustic_decoder_layers=dec["decoder_layers"],
            conv_kernel_size=one_value("conv_kernel_size", ("semantic_encoder", sem, "kernel_size"),
                                       ("acoustic_encoder", ac, "kernel_size"), ("acoustic_decoder", dec, "kernel_size")),
            conv_stride=one_value("conv_stride", ("semantic_encoder", sem, "stride_size"),
                                  ("acoustic_encoder", ac, "stride_size"), ("acoustic_decoder", dec, "stride_size")),
            downsample_factor=down.get("avg_pooler", 4),
            upsample_factor=up.get("stride", 4),
            activation_function=one_value("activation_function", ("semantic_encoder", sem, "activation_function"),
                                          ("acoustic_encoder", ac, "activation_function"),
                                          ("acoustic_decoder", dec, "activation_function")),
            num_quantizers=vq["num_quantizers"],
            codebook_size=vq["codebook_size"],
            codebook_dim=one_value("codebook_dim", ("quantizer", vq, "rvq_dim"), ("quantizer", vq, "codebook_dim")),
            commitment_weight=float(vq.get("commitment", 1.0)),
            quantizer_dropout=float(vq.get("quantizer_dropout", 0.0)),
            vocos_hidden_size=voc["dim"],
            vocos_intermediate_size=voc["intermediate_dim"],
            vocos_num_layers=voc["num_layers"],
            vocos_n_fft=voc["n_fft"],
            vocos_hop_length=voc["hop_size"],
        )  # fmt: skip
        config._check_original_consistency(p)
        return config

    def _check_original_consistency(self, p: dict):
        """Check the sizes the original states redundantly against what this configuration derives."""
        expected = {
            ("semantic_encoder_adapter_kwargs", "input_dim"): self.hidden_size,
            ("semantic_encoder_adapter_kwargs", "output_dim"): self.hidden_size,
            ("pre_rvq_adapter_kwargs", "input_dim"): 2 * self.hidden_size,
            ("pre_rvq_adapter_kwargs", "output_dim"): self.hidden_size,
            ("quantizer_kwargs", "input_dim"): self.downsample_factor * self.hidden_size,
            ("quantizer_kwargs", "output_dim"): self.downsample_factor * self.hidden_size,
            ("post_rvq_adapter_kwargs", "input_dim"): self.downsample_factor * self.hidden_size,
            ("post_rvq_adapter_kwargs", "output_dim"): self.downsample_factor * self.hidden_size,
            ("semantic_encoder_adapter_kwargs", "max_source_positions"): self.max_encoder_positions,
            ("pre_rvq_adapter_kwargs", "max_source_positions"): self.max_encoder_positions,
            ("post_rvq_adapter_kwargs", "max_source_positions"): self.max_code_frames,
            ("encoder_downsample_rate",): self.samples_per_code,
            ("decoder_upsample_rate",): self.output_samples_per_code,
        }
        for path, value in expected.items():
            node = p
            for key in path:
                node = node.get(key) if isinstance(node, dict) else None
            if node is not None and node != value:
                raise ValueError(f"Original config {'.'.join(path)}={node} does not match the architecture ({value}).")
        if p["vocos_kwargs"].get("padding", "same") != "same":
            raise ValueError("Only the Vocos ISTFT head with padding='same' exists in the released models.")
        if self.output_sampling_rate != self.vocos_hop_length * (self.sampling_rate // self.mel_hop_length):
            raise ValueError(
                f"output_sampling_rate {self.output_sampling_rate} does not match the Vocos hop "
                f"{self.vocos_hop_length} at {self.sampling_rate // self.mel_hop_length} latent frames per second."
            )


__all__ = ["XYTokenizerConfig", "normalize_auto_map"]
