"""Bitrate of a residual-VQ token stream."""

from __future__ import annotations

import math


def bitrate_bps(num_quantizers: int, codebook_size: int, frame_rate: float) -> float:
    """Bits per second of ``num_quantizers`` codes per frame at ``frame_rate`` frames/s.

    ``num_quantizers * log2(codebook_size) * frame_rate``: the fixed-length coding cost, i.e. an
    upper bound before any entropy coding. XY-Tokenizer: 8 x log2(1024) x 12.5 Hz = 1000 bit/s.
    A codebook size that is not a power of two gives fractional bits per code.

    Args:
        num_quantizers: Codebooks (RVQ stages) used per frame, >= 1.
        codebook_size: Entries per codebook, >= 2.
        frame_rate: Code frames per second (Hz), > 0.

    Raises:
        ValueError: on out-of-range arguments.
    """
    if isinstance(num_quantizers, bool) or not isinstance(num_quantizers, int) or num_quantizers < 1:
        raise ValueError(f"num_quantizers must be an integer >= 1, got {num_quantizers!r}")
    if isinstance(codebook_size, bool) or not isinstance(codebook_size, int) or codebook_size < 2:
        raise ValueError(f"codebook_size must be an integer >= 2, got {codebook_size!r}")
    if not isinstance(frame_rate, (int, float)) or not math.isfinite(frame_rate) or frame_rate <= 0:
        raise ValueError(f"frame_rate must be a positive finite number, got {frame_rate!r}")
    return num_quantizers * math.log2(codebook_size) * float(frame_rate)
