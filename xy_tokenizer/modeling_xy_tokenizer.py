"""XY-Tokenizer speech codec (arXiv 2506.23325) as a transformers model.

Part of the Hub remote-code bundle: imports only torch, numpy, public `transformers` names and the
bundle's own configuration file. Module and parameter names follow the original implementation,
so that a released checkpoint maps onto this model through an explicit, one-to-one rename table.

Pipeline (16 kHz model, per window of at most `max_audio_seconds`):
    waveform (B, S) ─log-mel→ (B, 80, S/160) ─┬─ semantic_encoder → semantic_encoder_adapter ─┐
                                               └─ acoustic_encoder ────────────────────────────┴ concat
    → pre_rvq_adapter (50 Hz) → downsample (12.5 Hz) → quantizer (codes) → post_rvq_adapter
    → upsample (50 Hz) → acoustic_decoder (100 Hz latent) → vocos (waveform at output_sampling_rate)
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn
from transformers import AttentionInterface, GradientCheckpointingLayer, PreTrainedModel
from transformers.activations import ACT2FN
from transformers.audio_utils import window_function
from transformers.utils import ModelOutput

from .configuration_xy_tokenizer import XYTokenizerConfig
from .feature_extraction_xy_tokenizer import log_mel_frames, whisper_mel_filters


ALL_ATTENTION_FUNCTIONS = AttentionInterface()


# ==============================================================================================
# Outputs
# ==============================================================================================
@dataclass
class XYTokenizerEncoderOutput(ModelOutput):
    """
    Args:
        audio_codes (`torch.LongTensor` of shape `(batch_size, num_quantizers, codes_length)`):
            Code indices; positions at or beyond an item's length are 0 (see `audio_codes_mask`).
        audio_codes_mask (`torch.LongTensor` of shape `(batch_size, codes_length)`):
            1 for real code frames, 0 for padding. Item `i` has `floor(samples_i / samples_per_code)` frames.
        quantized_representation (`torch.FloatTensor` of shape `(batch_size, quantizer_output_dim, codes_length)`, *optional*):
            The quantizer output `zq` (after `output_proj`), returned when `return_quantized_representation=True`.
    """

    audio_codes: torch.LongTensor | None = None
    audio_codes_mask: torch.LongTensor | None = None
    quantized_representation: torch.FloatTensor | None = None


@dataclass
class XYTokenizerDecoderOutput(ModelOutput):
    """
    Args:
        audio_values (`torch.FloatTensor` of shape `(batch_size, 1, num_samples)`):
            Decoded audio at `config.output_sampling_rate`, zero beyond each item's length.
        padding_mask (`torch.LongTensor` of shape `(batch_size, num_samples)`):
            1 for real samples, 0 for padding. Item `i` has `codes_i * output_samples_per_code` samples.
    """

    audio_values: torch.FloatTensor | None = None
    padding_mask: torch.LongTensor | None = None


@dataclass
class XYTokenizerOutput(ModelOutput):
    """
    Args:
        audio_values (`torch.FloatTensor` of shape `(batch_size, 1, num_samples)`):
            Reconstructed audio at `config.output_sampling_rate` (differentiable).
        padding_mask (`torch.LongTensor` of shape `(batch_size, num_samples)`):
            1 for real output samples, 0 for padding.
        audio_codes (`torch.LongTensor` of shape `(batch_size, num_quantizers, codes_length)`):
            Code indices of the input (no gradient).
        audio_codes_mask (`torch.LongTensor` of shape `(batch_size, codes_length)`):
            1 for real code frames.
        quantized_representation (`torch.FloatTensor` of shape `(batch_size, quantizer_output_dim, codes_length)`):
            Straight-through quantizer output `zq`; the decoder's input.
        commitment_loss (`torch.FloatTensor` of shape `()`):
            Mean over active stages of each stage's commitment MSE times `config.commitment_weight`.
        commitment_loss_per_stage (`torch.FloatTensor` of shape `(num_quantizers,)`):
            Each stage's commitment MSE (padding excluded), times `config.commitment_weight`.
    """

    audio_values: torch.FloatTensor | None = None
    padding_mask: torch.LongTensor | None = None
    audio_codes: torch.LongTensor | None = None
    audio_codes_mask: torch.LongTensor | None = None
    quantized_representation: torch.FloatTensor | None = None
    commitment_loss: torch.FloatTensor | None = None
    commitment_loss_per_stage: torch.FloatTensor | None = None


# ==============================================================================================
# Small helpers
# ==============================================================================================
def lengths_to_mask(lengths: torch.Tensor, max_length: int) -> torch.Tensor:
    """`lengths` (batch,) → bool mask (batch, max_length), True for positions < length."""
    return torch.arange(max_length, device=lengths.device)[None, :] < lengths[:, None]


def sinusoid_table(num_positions: int, channels: int) -> torch.Tensor:
    """OpenAI Whisper's encoder position table (num_positions, channels): sines then cosines."""
    if channels % 2:
        raise ValueError(f"Sinusoidal positions need an even width, got {channels}.")
    log_timescale_increment = math.log(10000) / (channels // 2 - 1)
    inv_timescales = torch.exp(-log_timescale_increment * torch.arange(channels // 2, dtype=torch.float32))
    scaled_time = torch.arange(num_positions, dtype=torch.float32)[:, None] * inv_timescales[None, :]
    return torch.cat([torch.sin(scaled_time), torch.cos(scaled_time)], dim=1)


def _init_tensor_(tensor: torch.Tensor, value: torch.Tensor):
    """Copy `value` into `tensor` unless transformers already loaded it from a checkpoint."""
    if not getattr(tensor, "_is_hf_initialized", False):
        with torch.no_grad():
            tensor.copy_(value)


def _autocast_disabled(device_type: str):
    return torch.autocast(device_type=device_type, enabled=False)


# ==============================================================================================
# Front end: Whisper log-mel spectrogram (no weights)
# ==============================================================================================
class XYTokenizerLogMelSpectrogram(nn.Module):
    """Whisper's 80-bin log-mel spectrogram computed on the real length of the audio.

    The original pads every clip to 30 s before the STFT. Valid frames do not depend on how much
    zero padding follows (the per-utterance max cannot come from all-zero frames), so computing on
    the frames `log_mel_frames` gives yields the same numbers for everything the encoders read, at
    a fraction of the cost. Same recipe as `XYTokenizerFeatureExtractor.log_mel`, in torch.
    """

    def __init__(self, config: XYTokenizerConfig):
        super().__init__()
        self.n_fft = config.mel_n_fft
        self.hop_length = config.mel_hop_length
        self.max_samples = config.max_window_samples
        self.sampling_rate = config.sampling_rate
        self.num_mel_bins = config.num_mel_bins
        # Recreated by `_init_weights` (non-persistent: not part of any checkpoint).
        self.register_buffer("window", torch.empty(self.n_fft), persistent=False)
        self.register_buffer("mel_filters", torch.empty(self.n_fft // 2 + 1, self.num_mel_bins), persistent=False)

    def reset_buffers(self):
        window = window_function(self.n_fft, "hann", periodic=True)
        filters = whisper_mel_filters(self.n_fft, self.num_mel_bins, self.sampling_rate)
        # Assigned (not copied) so that they are float32 even after a cast of the whole model.
        device = self.window.device
        self.window = torch.from_numpy(np.asarray(window, dtype=np.float32)).to(device)
        self.mel_filters = torch.from_numpy(np.asarray(filters, dtype=np.float32)).to(device)

    def padded_length(self, num_samples: int) -> int:
        """Samples the STFT runs on for a (longest) item of `num_samples` (see `log_mel_frames`)."""
        return log_mel_frames(num_samples, self.n_fft, self.hop_length, self.max_samples) * self.hop_length

    def forward(
        self, waveform: torch.Tensor, lengths: torch.Tensor, pad_to_window: bool = False
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """
        Args:
            waveform (`torch.Tensor` of shape `(batch_size, num_samples)`): audio, zero beyond `lengths`.
            lengths (`torch.LongTensor` of shape `(batch_size,)`): valid samples per item.
            pad_to_window (`bool`, *optional*, defaults to `False`): run on a whole window
                (`max_audio_seconds`) as the original does, instead of the real length.

        Returns:
            log_mel `(batch_size, num_mel_bins, frames)` float32 and mel_lengths `(batch_size,)`
            = ceil(lengths / hop_length).
        """
        if self.mel_filters.dtype != torch.float32:  # the model was cast, e.g. model.to(torch.bfloat16)
            self.reset_buffers()
        target = self.max_samples if pad_to_window else self.padded_length(int(lengths.max()))
        waveform = waveform.float()
        if waveform.shape[-1] < target:
            waveform = F.pad(waveform, (0, target - waveform.shape[-1]))
        waveform = waveform[:, :target]
        with _autocast_disabled(waveform.device.type):
            stft = torch.stft(
                waveform, self.n_fft, self.hop_length, window=self.window, center=True, return_complex=True
            )
            power = stft[..., :-1].abs() ** 2  # (batch, freq, frames): last frame dropped as in Whisper
            mel = self.mel_filters.T @ power  # (batch, mel, frames)
            log_mel = torch.clamp(mel, min=1e-10).log10()
            # Dynamic-range floor: per utterance over mel bins and frames.
            peak = log_mel.amax(dim=(1, 2), keepdim=True)
            log_mel = torch.maximum(log_mel, peak - 8.0)
            log_mel = (log_mel + 4.0) / 4.0
        mel_lengths = torch.div(lengths + self.hop_length - 1, self.hop_length, rounding_mode="floor")
        return log_mel, mel_lengths


# ==============================================================================================
# Transformer layer shared by encoders, adapters and the acoustic decoder
# ==============================================================================================
def eager_attention_forward(
    module: nn.Module,
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    attention_mask: torch.Tensor | None,
    scaling: float = 1.0,
    dropout: float = 0.0,
    **kwargs,
) -> tuple[torch.Tensor, torch.Tensor]:
    """query/key/value `(batch, heads, time, head_dim)` → output `(batch, time, heads, head_dim)`."""
    attn_weights = torch.matmul(query, key.transpose(2, 3)) * scaling
    if attention_mask is not None:
        attn_weights = attn_weights + attention_mask
    attn_weights = nn.functional.softmax(attn_weights, dim=-1)
    attn_weights = nn.functional.dropout(attn_weights, p=dropout, training=module.training)
    attn_output = torch.matmul(attn_weights, value).transpose(1, 2).contiguous()
    return attn_output, attn_weights


class XYTokenizerAttention(nn.Module):
    """Whisper's bidirectional multi-head attention (`k_proj` has no bias, queries pre-scaled)."""

    def __init__(self, config: XYTokenizerConfig):
        super().__init__()
        self.config = config
        self.embed_dim = config.hidden_size
        self.num_heads = config.num_attention_heads
        self.head_dim = self.embed_dim // self.num_heads
        self.scaling = self.head_dim**-0.5
        self.is_causal = False
        self.k_proj = nn.Linear(self.embed_dim, self.embed_dim, bias=False)
        self.v_proj = nn.Linear(self.embed_dim, self.embed_dim)
        self.q_proj = nn.Linear(self.embed_dim, self.embed_dim)
        self.out_proj = nn.Linear(self.embed_dim, self.embed_dim)

    def forward(self, hidden_states: torch.Tensor, attention_mask: torch.Tensor | None) -> torch.Tensor:
        """hidden_states `(batch, time, hidden)`; attention_mask additive `(batch, 1, 1, time)` or None."""
        batch, time, _ = hidden_states.shape
        shape = (batch, time, self.num_heads, self.head_dim)
        # Whisper scales the queries before the product; scaling=1.0 below keeps those numerics.
        query = (self.q_proj(hidden_states) * self.scaling).view(shape).transpose(1, 2)
        key = self.k_proj(hidden_states).view(shape).transpose(1, 2)
        value = self.v_proj(hidden_states).view(shape).transpose(1, 2)
        attention_interface: Callable = ALL_ATTENTION_FUNCTIONS.get_interface(
            self.config._attn_implementation, eager_attention_forward
        )
        attn_output, _ = attention_interface(
            self,
            query,
            key,
            value,
            attention_mask,
            dropout=self.config.attention_dropout if self.training else 0.0,
            scaling=1.0,
            is_causal=False,
        )
        return self.out_proj(attn_output.reshape(batch, time, self.embed_dim))


class XYTokenizerTransformerLayer(GradientCheckpointingLayer):
    """Pre-norm residual block: self-attention then GELU feed-forward (the "OmniWhisper" layer)."""

    def __init__(self, config: XYTokenizerConfig):
        super().__init__()
        self.self_attn = XYTokenizerAttention(config)
        self.self_attn_layer_norm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.activation_fn = ACT2FN[config.activation_function]
        self.fc1 = nn.Linear(config.hidden_size, config.intermediate_size)
        self.fc2 = nn.Linear(config.intermediate_size, config.hidden_size)
        self.final_layer_norm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)

    def forward(self, hidden_states: torch.Tensor, attention_mask: torch.Tensor | None = None) -> torch.Tensor:
        """hidden_states `(batch, time, hidden)` → same shape."""
        hidden_states = hidden_states + self.self_attn(self.self_attn_layer_norm(hidden_states), attention_mask)
        residual = hidden_states
        hidden_states = self.fc2(self.activation_fn(self.fc1(self.final_layer_norm(hidden_states))))
        hidden_states = residual + hidden_states
        if hidden_states.dtype in (torch.float16, torch.bfloat16) and not torch.isfinite(hidden_states).all():
            clamp_value = torch.finfo(hidden_states.dtype).max - 1000
            hidden_states = torch.clamp(hidden_states, min=-clamp_value, max=clamp_value)
        return hidden_states


class XYTokenizerTransformerStack(nn.Module):
    """Positions + transformer layers + final LayerNorm, masked by length (shared logic of all stacks)."""

    def _run_layers(self, hidden_states: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """hidden_states `(batch, time, hidden)`, lengths `(batch,)` → `(batch, time, hidden)`, zero beyond length."""
        time = hidden_states.shape[1]
        if time > self.positional_embedding.shape[0]:
            raise ValueError(
                f"{type(self).__name__} sees {time} frames but its position table has "
                f"{self.positional_embedding.shape[0]}; split the input into windows."
            )
        # Positions are added in float32, as in the original.
        hidden_states = (hidden_states.float() + self.positional_embedding[:time].float()).to(hidden_states.dtype)
        valid = lengths_to_mask(lengths, time)  # (batch, time)
        padded = not bool(valid.all())
        attention_mask = None
        if padded:
            # Masking keys suffices: valid queries never see padding, and padded rows are zeroed below.
            attention_mask = torch.zeros(valid.shape, dtype=hidden_states.dtype, device=hidden_states.device)
            attention_mask = attention_mask.masked_fill(~valid, torch.finfo(hidden_states.dtype).min)
            attention_mask = attention_mask[:, None, None, :]
        for layer in self.layers:
            hidden_states = layer(hidden_states, attention_mask)
            if padded:
                # Keeps garbage (and half-precision overflow) in padded rows away from valid ones.
                hidden_states = hidden_states.masked_fill(~valid[..., None], 0.0)
        hidden_states = self.layer_norm(hidden_states)
        return torch.where(valid[..., None], hidden_states, torch.zeros_like(hidden_states))


class XYTokenizerAudioEncoder(XYTokenizerTransformerStack):
    """Whisper-small-shaped encoder (`semantic_encoder`, `acoustic_encoder`): 100 Hz mel → 50 Hz."""

    def __init__(self, config: XYTokenizerConfig, num_layers: int):
        super().__init__()
        self.stride = config.conv_stride
        padding = config.conv_kernel_size // 2
        self.conv1 = nn.Conv1d(config.num_mel_bins, config.hidden_size, config.conv_kernel_size, padding=padding)
        self.conv2 = nn.Conv1d(
            config.hidden_size, config.hidden_size, config.conv_kernel_size, stride=self.stride, padding=padding
        )
        self.activation_fn = ACT2FN[config.activation_function]
        self.register_buffer("positional_embedding", torch.empty(config.max_encoder_positions, config.hidden_size))
        self.layers = nn.ModuleList([XYTokenizerTransformerLayer(config) for _ in range(num_layers)])
        self.layer_norm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)

    def forward(self, input_features: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """
        Args:
            input_features (`torch.Tensor` of shape `(batch_size, num_mel_bins, frames)`): log-mel.
            lengths (`torch.LongTensor` of shape `(batch_size,)`): valid mel frames.

        Returns:
            `(batch_size, hidden_size, ceil(frames / stride))`, zero beyond `lengths // stride`, and those lengths.
        """
        hidden_states = self.activation_fn(self.conv1(input_features))
        hidden_states = self.activation_fn(self.conv2(hidden_states))
        lengths = torch.div(lengths, self.stride, rounding_mode="floor")
        hidden_states = self._run_layers(hidden_states.transpose(1, 2), lengths)  # (batch, time, hidden)
        return hidden_states.transpose(1, 2), lengths


class XYTokenizerTransformer(XYTokenizerTransformerStack):
    """Adapter stack (`semantic_encoder_adapter`, `pre_rvq_adapter`, `post_rvq_adapter`):
    optional input projection, transformer layers, optional output projection."""

    def __init__(self, config: XYTokenizerConfig, num_layers: int, input_dim: int, output_dim: int, max_positions: int):
        super().__init__()
        hidden = config.hidden_size
        self.proj = nn.Linear(input_dim, hidden) if input_dim != hidden else None
        self.register_buffer("positional_embedding", torch.empty(max_positions, hidden))
        self.layers = nn.ModuleList([XYTokenizerTransformerLayer(config) for _ in range(num_layers)])
        self.layer_norm = nn.LayerNorm(hidden, eps=config.layer_norm_eps)
        self.out_proj = nn.Linear(hidden, output_dim) if output_dim != hidden else None

    def forward(self, hidden_states: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """
        Args:
            hidden_states (`torch.Tensor` of shape `(batch_size, input_dim, time)`).
            lengths (`torch.LongTensor` of shape `(batch_size,)`).

        Returns:
            `(batch_size, output_dim, time)` and the unchanged lengths. With an `out_proj`, padded
            positions hold its bias (the original zeroes before projecting).
        """
        hidden_states = hidden_states.transpose(1, 2)  # (batch, time, input_dim)
        if self.proj is not None:
            hidden_states = self.proj(hidden_states)
        hidden_states = self._run_layers(hidden_states, lengths)
        if self.out_proj is not None:
            hidden_states = self.out_proj(hidden_states)
        return hidden_states.transpose(1, 2), lengths


class XYTokenizerResidualDownConv(nn.Module):
    """Gated strided convolution 50 Hz → 12.5 Hz with a space-to-depth residual (`downsample`)."""

    def __init__(self, config: XYTokenizerConfig):
        super().__init__()
        self.factor = config.downsample_factor
        hidden, packed = config.hidden_size, config.hidden_size * config.downsample_factor
        self.gate_proj = nn.Conv1d(hidden, packed, self.factor, stride=self.factor, bias=False)
        self.up_proj = nn.Conv1d(hidden, packed, self.factor, stride=self.factor, bias=False)
        self.down_proj = nn.Linear(packed, packed, bias=False)
        self.act_fn = ACT2FN["silu"]
        self.layer_norm = nn.LayerNorm(packed, eps=config.layer_norm_eps)

    def forward(self, hidden_states: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """`(batch, hidden, time)` → `(batch, factor·hidden, ceil(time / factor))`; lengths floor-divided
        (a trailing group with padding is not valid)."""
        batch, hidden, time = hidden_states.shape
        remainder = time % self.factor
        if remainder:
            # The original pads the channel axis here (a latent crash); padding time is what was meant.
            hidden_states = F.pad(hidden_states, (0, self.factor - remainder))
        gate = self.act_fn(self.gate_proj(hidden_states))
        up = self.up_proj(hidden_states)
        # Space-to-depth: frame factor·k + j occupies channels j·hidden … (j+1)·hidden − 1 of output frame k.
        residual = hidden_states.transpose(1, 2).reshape(batch, -1, self.factor * hidden)
        packed = self.down_proj((gate * up).transpose(1, 2)) + residual  # (batch, time/factor, factor·hidden)
        packed = self.layer_norm(packed)
        return packed.transpose(1, 2), torch.div(lengths, self.factor, rounding_mode="floor")


class XYTokenizerUpConv(nn.Module):
    """Transposed convolution 12.5 Hz → 50 Hz (`upsample`), the mirror image of the downsample."""

    def __init__(self, config: XYTokenizerConfig):
        super().__init__()
        self.factor = config.upsample_factor
        self.up_conv = nn.ConvTranspose1d(
            config.hidden_size * config.downsample_factor,
            config.hidden_size,
            self.factor,
            stride=self.factor,
            bias=False,
        )

    def forward(self, hidden_states: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """`(batch, factor·hidden, time)` → `(batch, hidden, factor·time)`."""
        return self.up_conv(hidden_states), lengths * self.factor


class XYTokenizerAudioDecoder(XYTokenizerTransformerStack):
    """50 Hz transformer + two transposed convolutions → 100 Hz latent for Vocos (`acoustic_decoder`).

    Attention is bidirectional (the original's comment calling it causal is wrong)."""

    def __init__(self, config: XYTokenizerConfig):
        super().__init__()
        self.stride = config.conv_stride
        self.register_buffer("positional_embedding", torch.empty(config.max_encoder_positions, config.hidden_size))
        self.layers = nn.ModuleList([XYTokenizerTransformerLayer(config) for _ in range(config.acoustic_decoder_layers)])
        self.layer_norm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        kernel = config.conv_kernel_size
        self.deconv1 = nn.ConvTranspose1d(config.hidden_size, config.hidden_size, kernel, stride=self.stride)
        self.deconv2 = nn.ConvTranspose1d(config.hidden_size, config.num_mel_bins, kernel, stride=1)
        self.activation_fn = ACT2FN[config.activation_function]

    def forward(self, hidden_states: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """`(batch, hidden, time)` → `(batch, num_mel_bins, stride·time)` and lengths × stride."""
        time = hidden_states.shape[-1]
        hidden_states = self._run_layers(hidden_states.transpose(1, 2), lengths).transpose(1, 2)
        hidden_states = self.activation_fn(self.deconv1(hidden_states))
        hidden_states = self.activation_fn(self.deconv2(hidden_states))
        return hidden_states[..., : self.stride * time], lengths * self.stride


# ==============================================================================================
# Residual vector quantizer
# ==============================================================================================
class XYTokenizerVectorQuantizer(nn.Module):
    """One RVQ stage: a Euclidean codebook with EMA updates, k-means init and dead-code re-seeding.

    Buffers (names as in the original checkpoints): `codebook` (codebook_size, dim), `inited` (1,) bool,
    `cluster_size` (codebook_size,) EMA counts, `embed_avg` (codebook_size, dim) EMA sums.
    """

    def __init__(self, config: XYTokenizerConfig):
        super().__init__()
        self.codebook_size = config.codebook_size
        self.dim = config.codebook_dim
        self.decay = config.codebook_ema_decay
        self.epsilon = config.codebook_epsilon
        self.threshold_dead = config.dead_code_threshold
        self.kmeans_init = config.kmeans_init
        self.kmeans_iterations = config.kmeans_iterations
        self.register_buffer("codebook", torch.empty(self.codebook_size, self.dim))
        self.register_buffer("inited", torch.zeros(1, dtype=torch.bool))
        self.register_buffer("cluster_size", torch.empty(self.codebook_size))
        self.register_buffer("embed_avg", torch.empty(self.codebook_size, self.dim))

    def nearest(self, vectors: torch.Tensor) -> torch.Tensor:
        """vectors `(num, dim)` float32 → indices `(num,)` of the nearest code by squared L2."""
        codebook = self.codebook.float()
        distances = (
            vectors.pow(2).sum(1, keepdim=True)
            - 2 * vectors @ codebook.t()
            + codebook.pow(2).sum(1, keepdim=True).t()
        )  # (num, codebook_size)
        return distances.argmin(dim=1)

    def embed(self, indices: torch.Tensor) -> torch.Tensor:
        """indices `(...)` → code vectors `(..., dim)` float32."""
        return F.embedding(indices, self.codebook.float())

    # ---- training-time codebook maintenance ------------------------------------------------
    @torch.no_grad()
    def initialize(self, vectors: torch.Tensor):
        """k-means on the valid stage inputs `(num, dim)` of the first training batch (rank 0, broadcast)."""
        if not is_distributed() or dist.get_rank() == 0:
            centers, counts = kmeans(vectors, self.codebook_size, self.kmeans_iterations)
        else:
            centers = torch.empty_like(self.codebook)
            counts = torch.empty_like(self.cluster_size)
        broadcast_(centers)
        broadcast_(counts)
        self.codebook.copy_(centers)
        self.embed_avg.copy_(centers.clone())
        self.cluster_size.copy_(counts)
        self.inited.fill_(True)

    @torch.no_grad()
    def update(self, vectors: torch.Tensor, indices: torch.Tensor):
        """EMA update from the valid stage inputs `(num, dim)` and their codes `(num,)`; statistics
        are summed over ranks. Then re-seed dead codes."""
        onehot = F.one_hot(indices, self.codebook_size).type(vectors.dtype)  # (num, codebook_size)
        counts = onehot.sum(0)
        sums = onehot.t() @ vectors  # (codebook_size, dim)
        all_reduce_sum_(counts)
        all_reduce_sum_(sums)
        self.cluster_size.mul_(self.decay).add_(counts, alpha=1 - self.decay)
        self.embed_avg.mul_(self.decay).add_(sums, alpha=1 - self.decay)
        total = self.cluster_size.sum()
        smoothed = (self.cluster_size + self.epsilon) / (total + self.codebook_size * self.epsilon) * total
        self.codebook.copy_(self.embed_avg / smoothed[:, None])
        self.replace_dead_codes(vectors)

    @torch.no_grad()
    def replace_dead_codes(self, vectors: torch.Tensor):
        """Codes whose EMA count is below `dead_code_threshold` get random batch vectors (rank 0, broadcast)."""
        dead = self.cluster_size < self.threshold_dead
        if not bool(dead.any()):
            return
        if not is_distributed() or dist.get_rank() == 0:
            samples = sample_vectors(vectors, self.codebook_size)
        else:
            samples = torch.empty_like(self.codebook)
        broadcast_(samples)
        self.codebook.copy_(torch.where(dead[:, None], samples, self.codebook))
        self.embed_avg.copy_(torch.where(dead[:, None], samples * self.threshold_dead, self.embed_avg))
        self.cluster_size.copy_(torch.where(dead, torch.full_like(self.cluster_size, self.threshold_dead), self.cluster_size))


def is_distributed() -> bool:
    return dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1


def all_reduce_sum_(tensor: torch.Tensor):
    if is_distributed():
        dist.all_reduce(tensor, op=dist.ReduceOp.SUM)


def broadcast_(tensor: torch.Tensor):
    if is_distributed():
        dist.broadcast(tensor, src=0)


def sample_vectors(vectors: torch.Tensor, num: int) -> torch.Tensor:
    """`num` rows drawn from `vectors` `(n, dim)` (without replacement when there are enough)."""
    if vectors.shape[0] == 0:
        raise ValueError("Cannot sample codebook vectors from a batch without valid frames.")
    if vectors.shape[0] >= num:
        index = torch.randperm(vectors.shape[0], device=vectors.device)[:num]
    else:
        index = torch.randint(0, vectors.shape[0], (num,), device=vectors.device)
    return vectors[index]


def kmeans(vectors: torch.Tensor, num_clusters: int, iterations: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Lloyd's k-means on `vectors` `(n, dim)`; empty clusters keep their previous centre.

    Returns centres `(num_clusters, dim)` and cluster sizes `(num_clusters,)`."""
    centers = sample_vectors(vectors, num_clusters)
    counts = torch.zeros(num_clusters, device=vectors.device, dtype=vectors.dtype)
    for _ in range(iterations):
        distances = torch.cdist(vectors, centers)  # (n, num_clusters)
        assignment = distances.argmin(dim=1)
        counts = torch.bincount(assignment, minlength=num_clusters).to(vectors.dtype)
        sums = torch.zeros_like(centers).index_add_(0, assignment, vectors)
        new_centers = sums / counts.clamp(min=1)[:, None]
        centers = torch.where((counts == 0)[:, None], centers, new_centers)
    return centers, counts


class XYTokenizerResidualVectorQuantizer(nn.Module):
    """`quantizer`: weight-normed 1×1 projections around `num_quantizers` Euclidean VQ stages.

    Runs in float32 with autocast disabled whatever the model dtype. Padded frames (beyond `lengths`)
    are zero vectors for every stage and are excluded from the commitment loss and all codebook
    statistics (the original lets them in).
    """

    def __init__(self, config: XYTokenizerConfig):
        super().__init__()
        self.num_quantizers = config.num_quantizers
        self.codebook_size = config.codebook_size
        self.commitment_weight = config.commitment_weight
        self.quantizer_dropout = config.quantizer_dropout
        features = config.hidden_size * config.downsample_factor
        weight_norm = nn.utils.parametrizations.weight_norm
        self.input_proj = weight_norm(nn.Conv1d(features, config.codebook_dim, 1))
        self.output_proj = weight_norm(nn.Conv1d(config.codebook_dim, features, 1))
        self.quantizers = nn.ModuleList([XYTokenizerVectorQuantizer(config) for _ in range(config.num_quantizers)])

    def _check_num_quantizers(self, num_quantizers: int | None) -> int:
        if num_quantizers is None:
            return self.num_quantizers
        if not 1 <= int(num_quantizers) <= self.num_quantizers:
            raise ValueError(f"num_quantizers must be in 1…{self.num_quantizers}, got {num_quantizers}.")
        return int(num_quantizers)

    def forward(
        self, hidden_states: torch.Tensor, lengths: torch.Tensor, num_quantizers: int | None = None
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """
        Args:
            hidden_states (`torch.Tensor` of shape `(batch_size, features, time)`): downsampled features.
            lengths (`torch.LongTensor` of shape `(batch_size,)`): valid frames.
            num_quantizers (`int`, *optional*): stages to use (all by default).

        Returns:
            quantized `(batch_size, features, time)` float32 (straight-through in training),
            codes `(batch_size, num_quantizers, time)` int64 (0 at padded frames),
            commitment loss per stage `(num_quantizers,)`.
        """
        num_quantizers = self._check_num_quantizers(num_quantizers)
        device_type = hidden_states.device.type
        with _autocast_disabled(device_type):
            latents = self.input_proj(hidden_states.float())  # (batch, dim, time)
            batch, dim, time = latents.shape
            valid = lengths_to_mask(lengths, time)  # (batch, time)
            active_stages = self._active_stages(batch, num_quantizers, latents.device)  # (batch, stages)
            update_codebooks = self.training and torch.is_grad_enabled()
            residual = latents
            quantized_sum = torch.zeros_like(latents)
            codes, losses = [], []
            for stage, quantizer in enumerate(self.quantizers[:num_quantizers]):
                stage_valid = valid & active_stages[:, stage : stage + 1]  # (batch, time)
                if update_codebooks:
                    frames = residual.detach().transpose(1, 2)[stage_valid]  # (num_valid, dim)
                    if quantizer.kmeans_init and not bool(quantizer.inited):
                        quantizer.initialize(frames)
                stage_input = residual * stage_valid[:, None, :]
                indices = quantizer.nearest(stage_input.transpose(1, 2).reshape(-1, dim)).view(batch, time)
                indices = indices.masked_fill(~stage_valid, 0)
                quantized = quantizer.embed(indices).transpose(1, 2) * stage_valid[:, None, :]  # (batch, dim, time)
                if update_codebooks:
                    quantizer.update(frames, indices[stage_valid])
                losses.append(self._commitment(stage_input, quantized.detach(), stage_valid))
                if stage_input.requires_grad:
                    # Straight-through: forward value is the code, gradient is the identity. As in the
                    # original (and DAC), the next residual then carries no gradient, so d zq / d z = I.
                    quantized = stage_input + (quantized - stage_input).detach()
                quantized_sum = quantized_sum + quantized
                residual = residual - quantized
                codes.append(indices)
            output = self.output_proj(quantized_sum)
        return output, torch.stack(codes, dim=1), torch.stack(losses) * self.commitment_weight

    def _active_stages(self, batch: int, num_quantizers: int, device: torch.device) -> torch.Tensor:
        """(batch, num_quantizers) bool: quantizer dropout gives a random number of stages to some items."""
        active = torch.ones(batch, num_quantizers, dtype=torch.bool, device=device)
        if self.training and self.quantizer_dropout > 0:
            dropped = torch.rand(batch, device=device) < self.quantizer_dropout
            stages = torch.randint(1, num_quantizers + 1, (batch,), device=device)
            keep = torch.arange(num_quantizers, device=device)[None, :] < stages[:, None]
            active = torch.where(dropped[:, None], keep, active)
        return active

    @staticmethod
    def _commitment(stage_input: torch.Tensor, quantized: torch.Tensor, valid: torch.Tensor) -> torch.Tensor:
        """MSE over valid frames and channels; 0 when the stage has no valid frame."""
        squared = (stage_input - quantized).pow(2).sum(1)  # (batch, time)
        count = valid.sum() * stage_input.shape[1]
        return (squared * valid).sum() / count.clamp(min=1)

    def decode_codes(self, codes: torch.Tensor) -> torch.Tensor:
        """codes `(batch, stages, time)` (stages ≤ num_quantizers) → `(batch, features, time)` float32."""
        with _autocast_disabled(codes.device.type):
            quantized_sum = 0.0
            for stage in range(codes.shape[1]):
                quantized_sum = quantized_sum + self.quantizers[stage].embed(codes[:, stage]).transpose(1, 2)
            return self.output_proj(quantized_sum)


# ==============================================================================================
# Vocos vocoder (ConvNeXt backbone + ISTFT head)
# ==============================================================================================
class XYTokenizerConvNeXtBlock(nn.Module):
    """Depthwise conv → LayerNorm → pointwise MLP → layer scale, residual."""

    def __init__(self, config: XYTokenizerConfig):
        super().__init__()
        dim, kernel = config.vocos_hidden_size, config.vocos_kernel_size
        self.dwconv = nn.Conv1d(dim, dim, kernel, padding=kernel // 2, groups=dim)
        self.norm = nn.LayerNorm(dim, eps=config.vocos_layer_norm_eps)
        self.pwconv1 = nn.Linear(dim, config.vocos_intermediate_size)
        self.act = ACT2FN["gelu"]
        self.pwconv2 = nn.Linear(config.vocos_intermediate_size, dim)
        self.gamma = nn.Parameter(torch.empty(dim))

    def forward(self, hidden_states: torch.Tensor) -> torch.Tensor:
        """`(batch, dim, time)` → same shape."""
        residual = hidden_states
        hidden_states = self.dwconv(hidden_states).transpose(1, 2)  # (batch, time, dim)
        hidden_states = self.pwconv2(self.act(self.pwconv1(self.norm(hidden_states))))
        hidden_states = (self.gamma * hidden_states).transpose(1, 2)  # (batch, dim, time)
        return residual + hidden_states


class XYTokenizerVocosBackbone(nn.Module):
    """Vocos ConvNeXt backbone: embedding conv, LayerNorm, `vocos_num_layers` ConvNeXt blocks, LayerNorm."""

    def __init__(self, config: XYTokenizerConfig):
        super().__init__()
        dim, kernel = config.vocos_hidden_size, config.vocos_kernel_size
        self.embed = nn.Conv1d(config.num_mel_bins, dim, kernel, padding=kernel // 2)
        self.norm = nn.LayerNorm(dim, eps=config.vocos_layer_norm_eps)
        self.convnext = nn.ModuleList([XYTokenizerConvNeXtBlock(config) for _ in range(config.vocos_num_layers)])
        self.final_layer_norm = nn.LayerNorm(dim, eps=config.vocos_layer_norm_eps)

    def forward(self, hidden_states: torch.Tensor, valid: torch.Tensor | None) -> torch.Tensor:
        """
        Args:
            hidden_states (`torch.Tensor` of shape `(batch, num_mel_bins, time)`): decoder latent.
            valid (`torch.BoolTensor` of shape `(batch, time)`, *optional*): valid frames. Every
                convolution input is zeroed beyond them, so that an item in a padded batch sees the
                same zero padding as when it is decoded alone.

        Returns:
            `(batch, time, dim)`.
        """
        keep = None if valid is None else valid[:, None, :]
        if keep is not None:
            hidden_states = hidden_states.masked_fill(~keep, 0.0)
        hidden_states = self.norm(self.embed(hidden_states).transpose(1, 2)).transpose(1, 2)
        for block in self.convnext:
            if keep is not None:
                hidden_states = hidden_states.masked_fill(~keep, 0.0)
            hidden_states = block(hidden_states)
        return self.final_layer_norm(hidden_states.transpose(1, 2))


class XYTokenizerISTFT(nn.Module):
    """Inverse STFT with "same" padding: `torch.istft` cannot trim (n_fft − hop)/2 from both ends."""

    def __init__(self, config: XYTokenizerConfig):
        super().__init__()
        self.n_fft = config.vocos_n_fft
        self.hop_length = config.vocos_hop_length
        self.register_buffer("window", torch.empty(self.n_fft))

    def forward(self, spectrum: torch.Tensor, valid: torch.Tensor | None) -> torch.Tensor:
        """
        Args:
            spectrum (`torch.Tensor` of shape `(batch, n_fft // 2 + 1, frames)`, complex64).
            valid (`torch.BoolTensor` of shape `(batch, frames)`, *optional*): valid frames; the
                overlap-add envelope of each item counts only its own frames.

        Returns:
            `(batch, frames · hop_length)` float32, zero beyond each item's valid frames.
        """
        pad = (self.n_fft - self.hop_length) // 2
        frames = spectrum.shape[-1]
        window = self.window.float()
        frames_time = torch.fft.irfft(spectrum, self.n_fft, dim=1, norm="backward") * window[None, :, None]
        # Without padding every item has all frames: one envelope (batch 1) serves the whole batch.
        weights = torch.ones(1, frames, device=spectrum.device) if valid is None else valid.float()
        if valid is not None:
            frames_time = frames_time * weights[:, None, :]
        output_size = (frames - 1) * self.hop_length + self.n_fft
        fold = dict(output_size=(1, output_size), kernel_size=(1, self.n_fft), stride=(1, self.hop_length))
        audio = F.fold(frames_time, **fold)[:, 0, 0, pad : output_size - pad]  # (batch, frames·hop)
        envelope = window.square()[None, :, None] * weights[:, None, :]  # (batch or 1, n_fft, frames)
        envelope = F.fold(envelope, **fold)[:, 0, 0, pad : output_size - pad]
        covered = envelope > 1e-11
        return torch.where(covered, audio / envelope.clamp(min=1e-11), torch.zeros_like(audio))


class XYTokenizerISTFTHead(nn.Module):
    """Linear to log-magnitude and phase of `vocos_n_fft // 2 + 1` bins, then the inverse STFT (float32)."""

    def __init__(self, config: XYTokenizerConfig):
        super().__init__()
        self.out = nn.Linear(config.vocos_hidden_size, config.vocos_n_fft + 2)
        self.istft = XYTokenizerISTFT(config)
        self.max_magnitude = config.vocos_max_magnitude

    def forward(self, hidden_states: torch.Tensor, valid: torch.Tensor | None) -> torch.Tensor:
        """`(batch, time, dim)` → waveform `(batch, time · hop_length)` float32."""
        with _autocast_disabled(hidden_states.device.type):
            spectrum = self.out(hidden_states.float()).transpose(1, 2)  # (batch, n_fft + 2, time)
            log_magnitude, phase = spectrum.chunk(2, dim=1)
            magnitude = torch.exp(log_magnitude).clip(max=self.max_magnitude)
            complex_spectrum = torch.complex(magnitude * torch.cos(phase), magnitude * torch.sin(phase))
            return self.istft(complex_spectrum, valid)


class XYTokenizerVocos(nn.Module):
    """`vocos` (`enhanced_vocos` in the 24/32 kHz originals): 100 Hz latent → waveform."""

    def __init__(self, config: XYTokenizerConfig):
        super().__init__()
        self.backbone = XYTokenizerVocosBackbone(config)
        self.head = XYTokenizerISTFTHead(config)
        self.hop_length = config.vocos_hop_length

    def forward(self, latent: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """`(batch, num_mel_bins, time)` and lengths `(batch,)` → `(batch, 1, time · hop)` float32 and lengths × hop."""
        valid = lengths_to_mask(lengths, latent.shape[-1])
        valid = None if bool(valid.all()) else valid
        audio = self.head(self.backbone(latent, valid), valid)
        return audio[:, None, :], lengths * self.hop_length


# ==============================================================================================
# Pretrained model
# ==============================================================================================
class XYTokenizerPreTrainedModel(PreTrainedModel):
    config_class = XYTokenizerConfig
    config: XYTokenizerConfig
    base_model_prefix = "xy_tokenizer"
    main_input_name = "input_values"
    input_modalities = "audio"
    supports_gradient_checkpointing = True
    _supports_sdpa = True
    _no_split_modules = ["XYTokenizerTransformerLayer", "XYTokenizerResidualVectorQuantizer"]
    _auto_class = "AutoModel"  # saved with its code and `auto_map` (Hub remote code)

    @torch.no_grad()
    def _init_weights(self, module: nn.Module):
        std = self.config.initializer_range
        if isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, mean=0.0, std=std)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.LayerNorm):
            nn.init.ones_(module.weight)
            nn.init.zeros_(module.bias)
        elif isinstance(module, (nn.Conv1d, nn.ConvTranspose1d)):
            if nn.utils.parametrize.is_parametrized(module, "weight"):
                direction = module.parametrizations.weight.original1
                magnitude = module.parametrizations.weight.original0
                nn.init.normal_(direction, mean=0.0, std=std)
                _init_tensor_(magnitude, direction.norm(dim=(1, 2), keepdim=True))
            else:
                nn.init.kaiming_normal_(module.weight)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, XYTokenizerConvNeXtBlock):
            nn.init.constant_(module.gamma, 1.0 / self.config.vocos_num_layers)
        elif isinstance(module, XYTokenizerTransformerStack):
            table = module.positional_embedding
            _init_tensor_(table, sinusoid_table(table.shape[0], table.shape[1]))
        elif isinstance(module, XYTokenizerISTFT):
            _init_tensor_(module.window, torch.hann_window(module.n_fft, periodic=True))
        elif isinstance(module, XYTokenizerLogMelSpectrogram):
            module.reset_buffers()
        elif isinstance(module, XYTokenizerVectorQuantizer):
            _init_tensor_(module.codebook, torch.randn(module.codebook_size, module.dim))
            _init_tensor_(module.embed_avg, module.codebook)
            _init_tensor_(module.cluster_size, torch.zeros(module.codebook_size))
            _init_tensor_(module.inited, torch.zeros(1, dtype=torch.bool))

    # `dtype=torch.bfloat16` in from_pretrained must not touch the float32 islands of the original.
    _keep_in_fp32_modules_strict = ["quantizer", "vocos.head", "log_mel"]


@dataclass
class XYTokenizerWindow:
    """One window of at most `config.max_code_frames` code frames of one item.

    `start`/`stop` bound the frames the window computes; `keep_start`/`keep_stop` (inside them) are
    the frames it contributes to the output. All in code frames of the item."""

    item: int
    start: int
    stop: int
    keep_start: int
    keep_stop: int


def plan_windows(
    num_frames: list[int], window: int, left_context: int, right_context: int, full_windows: bool
) -> list[XYTokenizerWindow]:
    """Cut items of `num_frames` code frames into windows of ≤ `window` frames. Each window keeps
    `window − left_context − right_context` frames and sees up to `left_context` frames before and
    `right_context` after them.

    With `full_windows`, an item that fits one window is not cut, and the last window of a longer
    item starts early enough to be a full window (more left context, and no padding when windows
    are batched); otherwise windows start exactly `left_context` before what they keep, as the
    original wrapper does."""
    keep = window - left_context - right_context
    if keep <= 0:
        raise ValueError(f"Window contexts {left_context} + {right_context} leave no frame of {window} to keep.")
    windows = []
    for item, frames in enumerate(num_frames):
        if full_windows and frames <= window:
            windows.append(XYTokenizerWindow(item, 0, frames, 0, frames))
            continue
        for keep_start in range(0, max(frames, 1), keep):
            start = max(0, keep_start - left_context)
            if full_windows:
                start = max(0, min(start, frames - window))
            windows.append(
                XYTokenizerWindow(item, start, min(start + window, frames), keep_start, min(keep_start + keep, frames))
            )
    return windows


class XYTokenizerModel(XYTokenizerPreTrainedModel):
    """XY-Tokenizer: 16 kHz speech ↔ `num_quantizers` × `codebook_size` codes at 12.5 Hz.

    `encode` and `decode` take audio or codes of any length: longer than one window
    (`config.max_audio_seconds`), items are cut into windows that all run as one batched forward.

    Windowing (`windowing=`):
    - `"context"` (default): an item that fits one window is computed whole. Longer items use
      full windows that keep their middle and see `config.window_context_frames` frames of context
      on BOTH sides, aligned to code frames, so no segment starts without history (the last window
      starts early enough to be full: more left context, and no padding in the batch).
    - `"original"`: the original wrapper's scheme (keep the first 20 s of each 30 s window, right
      context only), which reproduces the original codes and audio exactly — without its drift bug,
      since the kept span here is always a whole number of code frames.
    """

    def __init__(self, config: XYTokenizerConfig):
        super().__init__(config)
        hidden = config.hidden_size
        packed = hidden * config.downsample_factor
        self.log_mel = XYTokenizerLogMelSpectrogram(config)
        self.semantic_encoder = XYTokenizerAudioEncoder(config, config.semantic_encoder_layers)
        self.semantic_encoder_adapter = XYTokenizerTransformer(
            config, config.semantic_adapter_layers, hidden, hidden, config.max_encoder_positions
        )
        self.acoustic_encoder = XYTokenizerAudioEncoder(config, config.acoustic_encoder_layers)
        self.pre_rvq_adapter = XYTokenizerTransformer(
            config, config.pre_rvq_adapter_layers, 2 * hidden, hidden, config.max_encoder_positions
        )
        self.downsample = XYTokenizerResidualDownConv(config)
        self.quantizer = XYTokenizerResidualVectorQuantizer(config)
        self.post_rvq_adapter = XYTokenizerTransformer(
            config, config.post_rvq_adapter_layers, packed, packed, config.max_code_frames
        )
        self.upsample = XYTokenizerUpConv(config)
        self.acoustic_decoder = XYTokenizerAudioDecoder(config)
        self.vocos = XYTokenizerVocos(config)
        self.post_init()

    # ------------------------------------------------------------------------------------------
    # Input checks
    # ------------------------------------------------------------------------------------------
    def _prepare_audio(
        self, input_values: torch.Tensor, padding_mask: torch.Tensor | None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Validate `input_values` `(batch, 1, samples)` / `(batch, samples)` / `(samples,)` and
        `padding_mask` `(batch, samples)`; return the waveform `(batch, samples)` float32 and lengths `(batch,)`."""
        if not isinstance(input_values, torch.Tensor):
            raise TypeError(
                f"input_values must be a torch.Tensor, got {type(input_values).__name__}; "
                "use XYTokenizerFeatureExtractor(..., return_tensors='pt')."
            )
        if input_values.ndim == 3:
            if input_values.shape[1] != 1:
                raise ValueError(
                    f"Audio must be mono: input_values has {input_values.shape[1]} channels (shape "
                    f"{tuple(input_values.shape)}); average or pick one channel first."
                )
            input_values = input_values[:, 0]
        elif input_values.ndim == 1:
            input_values = input_values[None]
        elif input_values.ndim != 2:
            raise ValueError(
                f"input_values must be (batch, 1, samples) or (batch, samples), got shape {tuple(input_values.shape)}."
            )
        if not input_values.is_floating_point():
            raise TypeError(
                f"input_values must be floating point in [-1, 1], got {input_values.dtype}; "
                "the feature extractor converts int16 PCM."
            )
        if input_values.shape[0] == 0 or input_values.shape[-1] == 0:
            raise ValueError(f"input_values is empty (shape {tuple(input_values.shape)}).")
        if not bool(torch.isfinite(input_values).all()):
            raise ValueError("input_values contains NaN or infinite samples.")
        lengths = self._lengths_from_mask(padding_mask, input_values.shape, "padding_mask", "samples")
        waveform = input_values.float().masked_fill(~lengths_to_mask(lengths, input_values.shape[-1]), 0.0)
        return waveform, lengths

    @staticmethod
    def _lengths_from_mask(mask: torch.Tensor | None, shape: torch.Size, name: str, unit: str) -> torch.Tensor:
        """`mask` `(batch, time)` of 1s then 0s → lengths `(batch,)`; all of `shape[-1]` when None."""
        batch, time = shape[0], shape[-1]
        if mask is None:
            return torch.full((batch,), time, dtype=torch.long)
        if tuple(mask.shape) != (batch, time):
            raise ValueError(f"{name} must have shape {(batch, time)}, got {tuple(mask.shape)}.")
        mask = mask.long().cpu()
        if bool(((mask != 0) & (mask != 1)).any()):
            raise ValueError(f"{name} must hold only 0 and 1.")
        lengths = mask.sum(-1)
        if not bool((mask == lengths_to_mask(lengths, time).long()).all()):
            raise ValueError(f"{name} must be 1 for a prefix of each row and 0 after it (right padding).")
        if bool((lengths == 0).any()):
            empty = torch.nonzero(lengths == 0).flatten().tolist()
            raise ValueError(f"Items {empty} have no {unit} (their {name} row is all 0).")
        return lengths

    def _prepare_codes(
        self, audio_codes: torch.Tensor, padding_mask: torch.Tensor | None, num_quantizers: int | None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Validate codes `(batch, num_quantizers, frames)`; return them with padding set to 0, and lengths."""
        if not isinstance(audio_codes, torch.Tensor):
            raise TypeError(f"audio_codes must be a torch.Tensor, got {type(audio_codes).__name__}.")
        if audio_codes.ndim != 3:
            raise ValueError(
                f"audio_codes must be (batch, num_quantizers, frames), got shape {tuple(audio_codes.shape)}."
            )
        if audio_codes.is_floating_point() or audio_codes.is_complex() or audio_codes.dtype == torch.bool:
            raise TypeError(f"audio_codes must be an integer tensor, got {audio_codes.dtype}.")
        batch, stages, frames = audio_codes.shape
        if not 1 <= stages <= self.config.num_quantizers:
            raise ValueError(f"audio_codes has {stages} quantizer rows; this model has 1…{self.config.num_quantizers}.")
        if num_quantizers is not None:
            if not 1 <= num_quantizers <= stages:
                raise ValueError(f"num_quantizers must be in 1…{stages} (rows given), got {num_quantizers}.")
            audio_codes = audio_codes[:, :num_quantizers]
        if batch == 0 or frames == 0:
            raise ValueError(f"audio_codes is empty (shape {tuple(audio_codes.shape)}).")
        lengths = self._lengths_from_mask(padding_mask, (batch, frames), "padding_mask", "code frames")
        valid = lengths_to_mask(lengths, frames).to(audio_codes.device)[:, None, :]
        out_of_range = valid & ((audio_codes < 0) | (audio_codes >= self.config.codebook_size))
        if bool(out_of_range.any()):
            bad = audio_codes[out_of_range]
            raise ValueError(
                f"audio_codes must lie in [0, {self.config.codebook_size}); got values from {int(bad.min())} "
                f"to {int(bad.max())} at {int(out_of_range.sum())} positions."
            )
        return audio_codes.long().masked_fill(~valid, 0), lengths

    # ------------------------------------------------------------------------------------------
    # One batched forward over windows
    # ------------------------------------------------------------------------------------------
    def _encode_frames(
        self, waveform: torch.Tensor, lengths: torch.Tensor, num_quantizers: int | None, pad_to_window: bool = False
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """waveform `(batch, samples)` (≤ one window each), lengths `(batch,)` →
        zq `(batch, features, frames)`, codes `(batch, stages, frames)`, commitment per stage, code lengths."""
        lengths = lengths.to(waveform.device)
        log_mel, mel_lengths = self.log_mel(waveform, lengths, pad_to_window=pad_to_window)
        log_mel = log_mel.to(self.dtype)
        semantic, encoder_lengths = self.semantic_encoder(log_mel, mel_lengths)
        semantic, _ = self.semantic_encoder_adapter(semantic, encoder_lengths)
        acoustic, _ = self.acoustic_encoder(log_mel, mel_lengths)
        fused, _ = self.pre_rvq_adapter(torch.cat([semantic, acoustic], dim=1), encoder_lengths)
        packed, _ = self.downsample(fused, encoder_lengths)
        # The encoder may yield one frame more than `encode()` of the original keeps: trim to floor(L / hop).
        code_lengths = torch.div(lengths, self.config.samples_per_code, rounding_mode="floor")
        frames = int(code_lengths.max())
        packed = packed[..., :frames]
        zq, codes, commitment = self.quantizer(packed, code_lengths, num_quantizers)
        return zq, codes, commitment, code_lengths

    def _decode_latents(self, zq: torch.Tensor, code_lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """zq `(batch, features, frames)`, code lengths `(batch,)` → audio `(batch, 1, frames · out_hop)` float32
        zero beyond each item, and output lengths `(batch,)`."""
        code_lengths = code_lengths.to(zq.device)
        hidden, lengths = self.post_rvq_adapter(zq.to(self.dtype), code_lengths)
        hidden, lengths = self.upsample(hidden, lengths)
        latent, lengths = self.acoustic_decoder(hidden, lengths)
        audio, lengths = self.vocos(latent, lengths)
        audio = audio.masked_fill(~lengths_to_mask(lengths, audio.shape[-1])[:, None, :], 0.0)
        return audio, lengths

    def _windowing(self, windowing: str) -> tuple[int, int, bool]:
        """(left context, right context, full_windows) in code frames for a windowing name."""
        if windowing == "context":
            context = self.config.window_context_frames
            return context, context, True
        if windowing == "original":
            return 0, self.config.original_window_overlap_frames, False
        raise ValueError(f"windowing must be 'context' or 'original', got {windowing!r}.")

    def _window_batches(self, lengths: list[int], batch_size: int | None) -> list[list[int]]:
        """Indices of the windows (of `lengths` code frames) grouped into forward passes,
        longest first so that each pass pads little.

        `batch_size` windows per pass when given. Otherwise (`None`): all windows in one pass on an
        accelerator; on CPU, passes of at most `config.cpu_window_batch_frames` code frames
        (padding included), since larger CPU batches were measured slower than one window at a
        time — short items are still grouped, long windows run one per pass."""
        order = sorted(range(len(lengths)), key=lambda index: -lengths[index])
        if batch_size is not None:
            if batch_size < 1:
                raise ValueError(f"window_batch_size must be >= 1, got {batch_size}.")
            return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
        if self.device.type != "cpu":
            return [order]
        budget, groups = self.config.cpu_window_batch_frames, []
        for index in order:  # descending lengths: a group's first window is its longest
            if groups and (len(groups[-1]) + 1) * lengths[groups[-1][0]] <= budget:
                groups[-1].append(index)
            else:
                groups.append([index])
        return groups


    # ------------------------------------------------------------------------------------------
    # Public API
    # ------------------------------------------------------------------------------------------
    def encode(
        self,
        input_values: torch.Tensor,
        padding_mask: torch.Tensor | None = None,
        num_quantizers: int | None = None,
        windowing: str = "context",
        window_batch_size: int | None = None,
        pad_to_window: bool = False,
        return_quantized_representation: bool = False,
        return_dict: bool | None = None,
    ) -> XYTokenizerEncoderOutput | tuple:
        """Tokenize 16 kHz audio of any length.

        Args:
            input_values (`torch.FloatTensor` of shape `(batch_size, 1, samples)` or `(batch_size, samples)`):
                Mono audio at `config.sampling_rate` in [-1, 1], right-padded.
            padding_mask (`torch.LongTensor` of shape `(batch_size, samples)`, *optional*):
                1 for real samples, 0 for padding. All samples are real when omitted.
            num_quantizers (`int`, *optional*):
                Codebooks to produce (1…`config.num_quantizers`, all by default): bitrate = n × 125 bit/s.
            windowing (`str`, *optional*, defaults to `"context"`):
                How audio longer than one window is cut: `"context"` or `"original"` (see the class docstring).
            window_batch_size (`int`, *optional*):
                Windows per forward pass. By default all windows of all items run as one pass on an
                accelerator, and in passes of ≤ `config.cpu_window_batch_frames` code frames on CPU.
            pad_to_window (`bool`, *optional*, defaults to `False`):
                Pad every window to `max_audio_seconds` as the original does. Same codes, much slower:
                kept as the reference path for tests and benchmarks.
            return_quantized_representation (`bool`, *optional*, defaults to `False`):
                Also return the quantizer output `zq` (only for audio that fits one window).

        Returns:
            [`XYTokenizerEncoderOutput`] with `audio_codes` `(batch_size, num_quantizers, frames)` and
            `audio_codes_mask` `(batch_size, frames)`; item `i` has `floor(samples_i / 1280)` frames.
        """
        return_dict = return_dict if return_dict is not None else self.config.return_dict
        waveform, lengths = self._prepare_audio(input_values, padding_mask)
        num_quantizers = self.quantizer._check_num_quantizers(num_quantizers)
        spc = self.config.samples_per_code
        code_counts = (lengths // spc).tolist()
        if min(code_counts) == 0:
            short = [i for i, count in enumerate(code_counts) if count == 0]
            raise ValueError(
                f"Items {short} are shorter than one code frame ({spc} samples = "
                f"{1000 * spc / self.config.sampling_rate:g} ms at {self.config.sampling_rate} Hz)."
            )
        windows = plan_windows(code_counts, self.config.max_code_frames, *self._windowing(windowing))
        if return_quantized_representation and len(windows) != len(code_counts):
            raise ValueError("return_quantized_representation needs every item to fit one window.")
        # Each window reads its samples up to the next window boundary, or to the item's end.
        window_samples = self.config.max_window_samples
        bounds = [(w.start * spc, min(w.start * spc + window_samples, int(lengths[w.item]))) for w in windows]
        device = self.device
        codes = torch.zeros(len(code_counts), num_quantizers, max(code_counts), dtype=torch.long, device=device)
        zq_out = None
        for batch in self._window_batches([w.stop - w.start for w in windows], window_batch_size):
            segment_lengths = torch.tensor([bounds[i][1] - bounds[i][0] for i in batch])
            segments = torch.zeros(len(batch), int(segment_lengths.max()), device=device)
            for row, index in enumerate(batch):
                a, b = bounds[index]
                segments[row, : b - a] = waveform[windows[index].item, a:b]
            zq, window_codes, _, _ = self._encode_frames(segments, segment_lengths, num_quantizers, pad_to_window)
            for row, index in enumerate(batch):
                w = windows[index]
                codes[w.item, :, w.keep_start : w.keep_stop] = window_codes[row, :, w.keep_start - w.start : w.keep_stop - w.start]
                if return_quantized_representation:
                    if zq_out is None:
                        zq_out = zq.new_zeros(len(code_counts), zq.shape[1], max(code_counts))
                    zq_out[w.item, :, : w.keep_stop] = zq[row, :, : w.keep_stop]
        codes_mask = lengths_to_mask(torch.tensor(code_counts), codes.shape[-1]).long().to(device)
        if not return_dict:
            return (codes, codes_mask, zq_out)
        return XYTokenizerEncoderOutput(audio_codes=codes, audio_codes_mask=codes_mask, quantized_representation=zq_out)

    def decode(
        self,
        audio_codes: torch.Tensor,
        padding_mask: torch.Tensor | None = None,
        num_quantizers: int | None = None,
        windowing: str = "context",
        window_batch_size: int | None = None,
        return_dict: bool | None = None,
    ) -> XYTokenizerDecoderOutput | tuple:
        """Detokenize codes of any length into audio at `config.output_sampling_rate`.

        Args:
            audio_codes (`torch.LongTensor` of shape `(batch_size, num_quantizers, frames)`):
                Codes in [0, codebook_size); 1…`config.num_quantizers` rows (fewer rows = lower bitrate).
            padding_mask (`torch.LongTensor` of shape `(batch_size, frames)`, *optional*):
                1 for real code frames (e.g. `audio_codes_mask` from `encode`), 0 for padding.
            num_quantizers (`int`, *optional*):
                Use only the first rows of `audio_codes`.
            windowing (`str`, *optional*, defaults to `"context"`): see the class docstring.
            window_batch_size (`int`, *optional*): windows per forward pass (default as in `encode`).

        Returns:
            [`XYTokenizerDecoderOutput`] with `audio_values` `(batch_size, 1, frames · output_samples_per_code)`
            and `padding_mask` `(batch_size, samples)`. Each item equals its decoding alone.
        """
        return_dict = return_dict if return_dict is not None else self.config.return_dict
        audio_codes, lengths = self._prepare_codes(audio_codes, padding_mask, num_quantizers)
        ospc = self.config.output_samples_per_code
        counts = lengths.tolist()
        windows = plan_windows(counts, self.config.max_code_frames, *self._windowing(windowing))
        device = self.device
        audio = torch.zeros(len(counts), 1, max(counts) * ospc, device=device)
        for batch in self._window_batches([w.stop - w.start for w in windows], window_batch_size):
            window_lengths = torch.tensor([windows[i].stop - windows[i].start for i in batch])
            window_codes = audio_codes.new_zeros(len(batch), audio_codes.shape[1], int(window_lengths.max()))
            for row, index in enumerate(batch):
                w = windows[index]
                window_codes[row, :, : w.stop - w.start] = audio_codes[w.item, :, w.start : w.stop]
            zq = self.quantizer.decode_codes(window_codes.to(device))
            window_audio, _ = self._decode_latents(zq, window_lengths)
            for row, index in enumerate(batch):
                w = windows[index]
                source = slice((w.keep_start - w.start) * ospc, (w.keep_stop - w.start) * ospc)
                audio[w.item, :, w.keep_start * ospc : w.keep_stop * ospc] = window_audio[row, :, source]
        output_mask = lengths_to_mask(lengths * ospc, audio.shape[-1]).long().to(device)
        if not return_dict:
            return (audio, output_mask)
        return XYTokenizerDecoderOutput(audio_values=audio, padding_mask=output_mask)

    def forward(
        self,
        input_values: torch.Tensor,
        padding_mask: torch.Tensor | None = None,
        num_quantizers: int | None = None,
        return_dict: bool | None = None,
    ) -> XYTokenizerOutput | tuple:
        """Differentiable encode → decode of audio that fits one window (training and evaluation).

        Args:
            input_values (`torch.FloatTensor` of shape `(batch_size, 1, samples)` or `(batch_size, samples)`):
                Mono audio at `config.sampling_rate`, at most `config.max_audio_seconds` long.
            padding_mask (`torch.LongTensor` of shape `(batch_size, samples)`, *optional*): 1 for real samples.
            num_quantizers (`int`, *optional*): codebooks to use (all by default).

        Returns:
            [`XYTokenizerOutput`]: reconstructed `audio_values` `(batch_size, 1, frames · output_samples_per_code)`
            with gradients (straight-through quantizer), codes, `zq` and the commitment loss.
        """
        return_dict = return_dict if return_dict is not None else self.config.return_dict
        waveform, lengths = self._prepare_audio(input_values, padding_mask)
        if waveform.shape[-1] > self.config.max_window_samples:
            raise ValueError(
                f"forward() takes at most {self.config.max_audio_seconds} s ({self.config.max_window_samples} samples) "
                f"per item, got {waveform.shape[-1]}; use encode()/decode(), which window long audio."
            )
        if bool((lengths < self.config.samples_per_code).any()):
            raise ValueError(f"Every item needs at least {self.config.samples_per_code} samples (one code frame).")
        zq, codes, commitment, code_lengths = self._encode_frames(waveform.to(self.device), lengths, num_quantizers)
        audio, output_lengths = self._decode_latents(zq, code_lengths)
        codes_mask = lengths_to_mask(code_lengths, codes.shape[-1]).long()
        output_mask = lengths_to_mask(output_lengths, audio.shape[-1]).long()
        commitment_loss = commitment.mean()
        if not return_dict:
            return (audio, output_mask, codes, codes_mask, zq, commitment_loss, commitment)
        return XYTokenizerOutput(
            audio_values=audio,
            padding_mask=output_mask,
            audio_codes=codes,
            audio_codes_mask=codes_mask,
            quantized_representation=zq,
            commitment_loss=commitment_loss,
            commitment_loss_per_stage=commitment,
        )


__all__ = ["XYTokenizerModel", "XYTokenizerPreTrainedModel"]
