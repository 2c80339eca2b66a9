"""Feature extractor of the XY-Tokenizer speech codec.

Part of the Hub remote-code bundle: imports only numpy, torch and public `transformers` names.
"""

import math

import numpy as np
from transformers import BatchFeature, SequenceFeatureExtractor
from transformers import logging as transformers_logging
from transformers.audio_utils import mel_filter_bank, spectrogram, window_function

from .configuration_xy_tokenizer import normalize_auto_map


logger = transformers_logging.get_logger(__name__)

_INTEGER_SCALES = {np.dtype(np.int16): 2**15, np.dtype(np.int32): 2**31, np.dtype(np.int8): 2**7}


def whisper_mel_filters(n_fft: int, num_mel_bins: int, sampling_rate: int) -> np.ndarray:
    """Whisper's mel filterbank `(n_fft // 2 + 1, num_mel_bins)`: Slaney scale and area norm, 0 Hz…Nyquist."""
    return mel_filter_bank(
        num_frequency_bins=n_fft // 2 + 1,
        num_mel_filters=num_mel_bins,
        min_frequency=0.0,
        max_frequency=sampling_rate / 2,
        sampling_rate=sampling_rate,
        norm="slaney",
        mel_scale="slaney",
    )


def log_mel_frames(num_samples: int, n_fft: int, hop_length: int, max_samples: int) -> int:
    """Mel frames computed for a (longest) clip of `num_samples` instead of the original's 30 s.

    Valid frames (`ceil(num_samples / hop)`) do not depend on how much zero padding follows, so it
    suffices to add the frames the STFT window reaches into and the one after them that the
    encoders' convolutions read: then the reflect padding at the end only mirrors zeros. Never
    more than one window (`max_samples`), where the original's exact layout is used."""
    frames = math.ceil(num_samples / hop_length) + math.ceil(n_fft / hop_length) + 1
    return min(frames, max(max_samples, num_samples) // hop_length)


class XYTokenizerFeatureExtractor(SequenceFeatureExtractor):
    r"""
    Prepares mono 16 kHz audio for [`XYTokenizerModel`]: `input_values` `(batch, 1, samples)` and a
    `padding_mask` `(batch, samples)` (1 for real samples), padded only to the longest item unless
    asked otherwise. The model computes the Whisper log-mel itself; `return_log_mel=True` also
    returns it from here (same numbers) for inspection or other models.

    Args:
        feature_size (`int`, *optional*, defaults to 1):
            Channels of `input_values` (mono).
        sampling_rate (`int`, *optional*, defaults to 16000):
            Rate the model expects; other rates are refused with a hint on how to resample.
        padding_value (`float`, *optional*, defaults to 0.0):
            Value of padded samples.
        num_mel_bins (`int`, *optional*, defaults to 80):
            Mel bands of the Whisper front end.
        n_fft (`int`, *optional*, defaults to 400):
            FFT size of the front-end STFT.
        hop_length (`int`, *optional*, defaults to 160):
            Hop of the front-end STFT (100 frames per second at 16 kHz).
        chunk_length (`int`, *optional*, defaults to 30):
            Seconds per model window; the length `padding="max_length"` pads to when no `max_length` is given.
    """

    model_input_names = ["input_values", "padding_mask"]
    _auto_class = "AutoFeatureExtractor"  # saved with its code and `auto_map` (Hub remote code)

    def __init__(
        self,
        feature_size: int = 1,
        sampling_rate: int = 16000,
        padding_value: float = 0.0,
        num_mel_bins: int = 80,
        n_fft: int = 400,
        hop_length: int = 160,
        chunk_length: int = 30,
        return_attention_mask: bool = True,
        **kwargs,
    ):
        super().__init__(
            feature_size=feature_size,
            sampling_rate=sampling_rate,
            padding_value=padding_value,
            return_attention_mask=return_attention_mask,
            **kwargs,
        )
        self.num_mel_bins = num_mel_bins
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.chunk_length = chunk_length
        self.n_samples = chunk_length * sampling_rate

    @classmethod
    def from_model_config(cls, config) -> "XYTokenizerFeatureExtractor":
        """The feature extractor matching an `XYTokenizerConfig`."""
        return cls(
            sampling_rate=config.sampling_rate,
            num_mel_bins=config.num_mel_bins,
            n_fft=config.mel_n_fft,
            hop_length=config.mel_hop_length,
            chunk_length=config.max_audio_seconds,
        )

    def to_dict(self) -> dict:
        output = super().to_dict()
        if "auto_map" in output:
            output["auto_map"] = normalize_auto_map(output["auto_map"])
        return output

    # ------------------------------------------------------------------------------------------
    def _as_mono_float(self, audio, index: int) -> np.ndarray:
        """One clip (numpy/torch/list; float or integer PCM) → 1-D float32 array, with clear errors."""
        if hasattr(audio, "detach"):  # torch.Tensor, without importing torch here
            audio = audio.detach().cpu().numpy()
        audio = np.asarray(audio)
        if audio.dtype == object:
            raise TypeError(f"Audio item {index} is not numeric (dtype object); pass arrays of samples.")
        if audio.ndim == 2 and 1 in audio.shape:
            audio = audio.reshape(-1)
        if audio.ndim != 1:
            raise ValueError(
                f"Audio item {index} must be mono (samples,), got shape {audio.shape}. For stereo, average the "
                "channels (audio.mean(axis=0) for (channels, samples)); for a batch, pass a list of 1-D arrays."
            )
        if audio.size == 0:
            raise ValueError(f"Audio item {index} is empty.")
        if audio.dtype in _INTEGER_SCALES:
            audio = audio.astype(np.float32) / _INTEGER_SCALES[audio.dtype]
        elif np.issubdtype(audio.dtype, np.floating):
            audio = audio.astype(np.float32)
        else:
            raise TypeError(f"Audio item {index} has dtype {audio.dtype}; expected float or int8/16/32 PCM.")
        if not np.isfinite(audio).all():
            raise ValueError(f"Audio item {index} contains NaN or infinite samples.")
        return audio

    def _as_clip_list(self, raw_audio) -> list[np.ndarray]:
        if isinstance(raw_audio, (list, tuple)):
            if len(raw_audio) == 0:
                raise ValueError("raw_audio is an empty list.")
            if all(np.isscalar(sample) for sample in raw_audio):
                return [self._as_mono_float(raw_audio, 0)]
            return [self._as_mono_float(clip, index) for index, clip in enumerate(raw_audio)]
        return [self._as_mono_float(raw_audio, 0)]

    def __call__(
        self,
        raw_audio,
        sampling_rate: int | None = None,
        padding: bool | str = True,
        max_length: int | None = None,
        truncation: bool = False,
        pad_to_multiple_of: int | None = None,
        return_tensors: str | None = None,
        return_log_mel: bool = False,
        **kwargs,
    ) -> BatchFeature:
        """
        Args:
            raw_audio (`np.ndarray`, `torch.Tensor`, `list[float]` or a list of those):
                One clip `(samples,)` or a list of clips, float in [-1, 1] or integer PCM (int16…).
            sampling_rate (`int`):
                Rate of `raw_audio`; must equal `self.sampling_rate` (resample first otherwise).
            padding (`bool` or `str`, *optional*, defaults to `True`):
                `True`/`"longest"`: pad to the longest clip; `"max_length"`: pad to `max_length`
                (default one window, `chunk_length` s); `False`: no padding (clips must be equally long).
            max_length (`int`, *optional*): samples for `padding="max_length"` / `truncation`.
            truncation (`bool`, *optional*, defaults to `False`):
                Cut clips longer than `max_length`. Off by default: the model windows long audio itself.
            pad_to_multiple_of (`int`, *optional*): round the padded length up to a multiple of this.
            return_tensors (`str`, *optional*): `"pt"` or `"np"` (lists by default).
            return_log_mel (`bool`, *optional*, defaults to `False`):
                Also return `input_features` `(batch, num_mel_bins, frames)` and `input_features_mask`
                `(batch, frames)`: the log-mel the model computes internally.

        Returns:
            [`BatchFeature`] with `input_values` `(batch, 1, samples)` and `padding_mask` `(batch, samples)`.
        """
        if sampling_rate is None:
            logger.warning(
                f"No sampling_rate passed to {type(self).__name__}; assuming {self.sampling_rate} Hz. Pass it to "
                "catch audio at the wrong rate."
            )
        elif int(sampling_rate) != self.sampling_rate:
            raise ValueError(
                f"The audio is at {sampling_rate} Hz but this model reads {self.sampling_rate} Hz. Resample first, e.g. "
                f"`soxr.resample(audio, {sampling_rate}, {self.sampling_rate})`, or for a datasets column "
                f"`dataset.cast_column('audio', Audio(sampling_rate={self.sampling_rate}))`."
            )
        clips = self._as_clip_list(raw_audio)
        if padding == "max_length" and max_length is None:
            max_length = self.n_samples
        if truncation and max_length is None:
            raise ValueError("truncation=True needs max_length (in samples).")
        if not truncation and max_length is not None:
            too_long = [index for index, clip in enumerate(clips) if len(clip) > max_length]
            if too_long:
                raise ValueError(
                    f"Clips {too_long} are longer than max_length={max_length} samples; pass truncation=True to cut "
                    "them, or no max_length (the model windows long audio)."
                )
        padded = self.pad(
            BatchFeature({"input_values": clips}),
            padding=padding,
            max_length=max_length,
            truncation=truncation,
            pad_to_multiple_of=pad_to_multiple_of,
            return_attention_mask=True,
        )
        input_values = np.stack([np.asarray(values, dtype=np.float32) for values in padded["input_values"]])
        padding_mask = np.stack([np.asarray(mask, dtype=np.int64) for mask in padded["attention_mask"]])
        features = {"input_values": input_values[:, None, :], "padding_mask": padding_mask}
        if return_log_mel:
            features["input_features"], features["input_features_mask"] = self.log_mel(
                input_values, padding_mask.sum(-1)
            )
        return BatchFeature(features, tensor_type=return_tensors)

    # ------------------------------------------------------------------------------------------
    def log_mel(self, waveforms: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Whisper log-mel of each clip on the real length (not padded to 30 s).

        Args:
            waveforms (`np.ndarray` of shape `(batch, samples)`): zero beyond `lengths`.
            lengths (`np.ndarray` of shape `(batch,)`): valid samples per clip.

        Returns:
            `(batch, num_mel_bins, frames)` float32 and a mask `(batch, frames)` with `ceil(length / hop)` ones.
        """
        frames = log_mel_frames(int(lengths.max()), self.n_fft, self.hop_length, self.n_samples)
        target = frames * self.hop_length
        waveforms = np.pad(waveforms, ((0, 0), (0, max(0, target - waveforms.shape[1]))))[:, :target]
        window = window_function(self.n_fft, "hann")
        filters = whisper_mel_filters(self.n_fft, self.num_mel_bins, self.sampling_rate)
        features = []
        for waveform, length in zip(waveforms, lengths):
            waveform = np.where(np.arange(target) < length, waveform, 0.0).astype(np.float32)
            log_spec = spectrogram(
                waveform, window, frame_length=self.n_fft, hop_length=self.hop_length, power=2.0,
                mel_filters=filters, log_mel="log10",
            )[:, :-1]  # fmt: skip
            log_spec = np.maximum(log_spec, log_spec.max() - 8.0)
            features.append(((log_spec + 4.0) / 4.0).astype(np.float32))
        mel_lengths = -(-np.asarray(lengths) // self.hop_length)
        mask = (np.arange(frames)[None, :] < mel_lengths[:, None]).astype(np.int64)
        return np.stack(features), mask


__all__ = ["XYTokenizerFeatureExtractor", "log_mel_frames", "whisper_mel_filters"]
