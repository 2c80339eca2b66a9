"""Hyper-parameters of the discriminators and of the adversarial losses (TRAINING.md §3.2-3.3)."""

from __future__ import annotations

from dataclasses import dataclass, field

DISCRIMINATOR_TYPES = ("multi_period", "multi_resolution_stft", "multi_scale")
ADVERSARIAL_LOSS_TYPES = ("hinge", "lsgan")
SUB_DISCRIMINATOR_REDUCTIONS = ("sum", "mean")


@dataclass
class DiscriminatorConfig:
    """Which discriminators to build, their sizes, and the GAN loss formulation.

    Defaults: HiFi-GAN multi-period discriminator + Vocos/DAC multi-resolution STFT discriminator,
    hinge losses summed over sub-discriminators (the HiFi-GAN λ ratios of TRAINING.md §3.3 assume
    sums). Every size is a field so tests can shrink the networks.
    """

    discriminators: list[str] = field(
        default_factory=lambda: ["multi_period", "multi_resolution_stft"],
        metadata={"help": f"Discriminators to use, any of {', '.join(DISCRIMINATOR_TYPES)}."},
    )
    adversarial_loss: str = field(
        default="hinge", metadata={"help": f"GAN loss formulation, one of {', '.join(ADVERSARIAL_LOSS_TYPES)}."}
    )
    sub_discriminator_reduction: str = field(
        default="sum",
        metadata={
            "help": "How adversarial / feature-matching terms of sub-discriminators are combined: "
            "sum (HiFi-GAN, DAC) or mean (Vocos)."
        },
    )
    leaky_relu_slope: float = field(default=0.1, metadata={"help": "Negative slope of every leaky ReLU."})

    # HiFi-GAN multi-period discriminator.
    mpd_periods: list[int] = field(
        default_factory=lambda: [2, 3, 5, 7, 11], metadata={"help": "Periods of the multi-period discriminator."}
    )
    mpd_channels: list[int] = field(
        default_factory=lambda: [32, 128, 512, 1024, 1024],
        metadata={"help": "Output channels of each period conv; all but the last are strided."},
    )
    mpd_kernel_size: int = field(default=5, metadata={"help": "Time kernel size of the period convs."})
    mpd_stride: int = field(default=3, metadata={"help": "Time stride of the strided period convs."})
    mpd_post_kernel_size: int = field(default=3, metadata={"help": "Time kernel size of the final 1-channel conv."})

    # Vocos / DAC multi-resolution STFT discriminator.
    stft_fft_sizes: list[int] = field(
        default_factory=lambda: [2048, 1024, 512],
        metadata={"help": "FFT (= window) sizes at stft_reference_sampling_rate; scaled with the actual rate."},
    )
    stft_reference_sampling_rate: int = field(
        default=16000, metadata={"help": "Sampling rate at which stft_fft_sizes are given."}
    )
    stft_hop_fraction: float = field(default=0.25, metadata={"help": "Hop length as a fraction of the FFT size."})
    stft_channels: int = field(default=32, metadata={"help": "Channels of the spectrogram convs."})
    stft_kernel_size: list[int] = field(
        default_factory=lambda: [3, 9], metadata={"help": "(time, frequency) kernel of the spectrogram convs."}
    )
    stft_num_strided_layers: int = field(
        default=3, metadata={"help": "Spectrogram convs with frequency stride 2 (after the first conv)."}
    )
    stft_post_kernel_size: int = field(
        default=3, metadata={"help": "Square kernel of the last band conv and of the final 1-channel conv."}
    )
    stft_band_edges: list[float] = field(
        default_factory=lambda: [0.0, 0.1, 0.25, 0.5, 0.75, 1.0],
        metadata={"help": "Increasing fractions of the frequency axis, 0 to 1; each band gets its own convs."},
    )
    stft_normalize_volume: bool = field(
        default=True, metadata={"help": "Remove DC and peak-normalise each clip before the STFT (Vocos, DAC)."}
    )

    # HiFi-GAN multi-scale discriminator.
    msd_num_scales: int = field(default=3, metadata={"help": "Number of scales (the first sees the raw audio)."})
    msd_channels: list[int] = field(
        default_factory=lambda: [128, 128, 256, 512, 1024, 1024, 1024],
        metadata={"help": "Output channels of each 1-D conv of a scale discriminator."},
    )
    msd_kernel_sizes: list[int] = field(
        default_factory=lambda: [15, 41, 41, 41, 41, 41, 5], metadata={"help": "Kernel size of each conv."}
    )
    msd_strides: list[int] = field(
        default_factory=lambda: [1, 2, 2, 4, 4, 1, 1], metadata={"help": "Stride of each conv."}
    )
    msd_groups: list[int] = field(
        default_factory=lambda: [1, 4, 16, 16, 16, 16, 1], metadata={"help": "Groups of each conv."}
    )
    msd_post_kernel_size: int = field(default=3, metadata={"help": "Kernel size of the final 1-channel conv."})
    msd_pool_kernel_size: int = field(default=4, metadata={"help": "Average-pooling kernel between scales."})
    msd_pool_stride: int = field(default=2, metadata={"help": "Average-pooling stride between scales."})
    msd_spectral_norm_first_scale: bool = field(
        default=True, metadata={"help": "Spectral norm (instead of weight norm) on the raw-audio scale (HiFi-GAN)."}
    )

    def __post_init__(self) -> None:
        self._check_choices()
        self._check_multi_period()
        self._check_stft()
        self._check_multi_scale()

    def _check_choices(self) -> None:
        unknown = [name for name in self.discriminators if name not in DISCRIMINATOR_TYPES]
        if unknown or not self.discriminators or len(set(self.discriminators)) != len(self.discriminators):
            raise ValueError(
                f"discriminators must be a non-empty list of distinct names from {DISCRIMINATOR_TYPES}, "
                f"but got {self.discriminators}"
            )
        if self.adversarial_loss not in ADVERSARIAL_LOSS_TYPES:
            raise ValueError(
                f"adversarial_loss must be one of {ADVERSARIAL_LOSS_TYPES}, but got {self.adversarial_loss!r}"
            )
        if self.sub_discriminator_reduction not in SUB_DISCRIMINATOR_REDUCTIONS:
            raise ValueError(
                f"sub_discriminator_reduction must be one of {SUB_DISCRIMINATOR_REDUCTIONS}, "
                f"but got {self.sub_discriminator_reduction!r}"
            )

    def _check_multi_period(self) -> None:
        if not self.mpd_periods or any(p < 1 for p in self.mpd_periods):
            raise ValueError(f"mpd_periods must be a non-empty list of positive ints, but got {self.mpd_periods}")
        if len(self.mpd_channels) < 2 or any(c < 1 for c in self.mpd_channels):
            raise ValueError(f"mpd_channels needs at least 2 positive entries, but got {self.mpd_channels}")
        if self.mpd_kernel_size < 1 or self.mpd_stride < 1 or self.mpd_post_kernel_size < 1:
            raise ValueError("mpd_kernel_size, mpd_stride and mpd_post_kernel_size must be positive")

    def _check_stft(self) -> None:
        if not self.stft_fft_sizes or any(n < 2 for n in self.stft_fft_sizes):
            raise ValueError(f"stft_fft_sizes must be a non-empty list of ints >= 2, but got {self.stft_fft_sizes}")
        if len(self.stft_kernel_size) != 2 or any(k < 1 for k in self.stft_kernel_size):
            raise ValueError(
                f"stft_kernel_size must be two positive ints (time, frequency), but got {self.stft_kernel_size}"
            )
        edges = self.stft_band_edges
        if self.stft_post_kernel_size < 1:
            raise ValueError(f"stft_post_kernel_size must be positive, but got {self.stft_post_kernel_size}")
        if len(edges) < 2 or edges[0] != 0.0 or edges[-1] != 1.0 or any(b <= a for a, b in zip(edges, edges[1:])):
            raise ValueError(f"stft_band_edges must increase strictly from 0.0 to 1.0, but got {edges}")
        if not 0.0 < self.stft_hop_fraction <= 1.0:
            raise ValueError(f"stft_hop_fraction must be in (0, 1], but got {self.stft_hop_fraction}")
        if self.stft_channels < 1 or self.stft_num_strided_layers < 0 or self.stft_reference_sampling_rate <= 0:
            raise ValueError(
                "stft_channels and stft_reference_sampling_rate must be positive and stft_num_strided_layers >= 0"
            )

    def _check_multi_scale(self) -> None:
        lists = (self.msd_channels, self.msd_kernel_sizes, self.msd_strides, self.msd_groups)
        if len({len(values) for values in lists}) != 1 or not self.msd_channels:
            raise ValueError(
                "msd_channels, msd_kernel_sizes, msd_strides and msd_groups must be non-empty and of equal length, "
                f"but got lengths {[len(values) for values in lists]}"
            )
        in_channels = [1, *self.msd_channels[:-1]]
        for layer, (c_in, c_out, groups) in enumerate(zip(in_channels, self.msd_channels, self.msd_groups)):
            if groups < 1 or c_in % groups or c_out % groups:
                raise ValueError(
                    f"msd conv {layer}: groups={groups} must divide its in ({c_in}) and out ({c_out}) channels"
                )
        if self.msd_num_scales < 1 or self.msd_pool_kernel_size < 1 or self.msd_pool_stride < 1:
            raise ValueError("msd_num_scales, msd_pool_kernel_size and msd_pool_stride must be positive")

    def scaled_fft_sizes(self, sampling_rate: int) -> list[int]:
        """``stft_fft_sizes`` rescaled to ``sampling_rate`` (rounded to even): each resolution keeps its duration."""
        scale = sampling_rate / self.stft_reference_sampling_rate
        return [max(2, 2 * round(n_fft * scale / 2)) for n_fft in self.stft_fft_sizes]
