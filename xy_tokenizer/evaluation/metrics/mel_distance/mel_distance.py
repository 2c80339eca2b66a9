"""Log-mel L1 distance of reconstructed audio, as a Hugging Face ``evaluate`` metric."""

import evaluate

from xy_tokenizer.evaluation.config import MelSpectrogramConfig
from xy_tokenizer.evaluation.hf_evaluate import compute_per_clip, waveform_metric_info
from xy_tokenizer.evaluation.mel_distance import mel_distance

_DESCRIPTION = (
    "Mean absolute difference between natural-log mel spectrograms of each prediction and its reference "
    "(defaults: n_fft 1024, hop 256, 80 Slaney mels 0 Hz..Nyquist, magnitude, floor 1e-5); mean over clips."
)
_CITATION = ""
_KWARGS_DESCRIPTION = """
Args:
    predictions: list of reconstructed mono waveforms, each of shape (num_samples,).
    references: list of original mono waveforms, same count and rate.
    sampling_rate (int): rate of all waveforms in Hz.
    mel_config (MelSpectrogramConfig, optional): spectrogram parameters.
Returns:
    mel_distance: mean distance (0 for identical audio, lower is better); mel_distance_per_clip.
"""


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS_DESCRIPTION)
class MelDistance(evaluate.Metric):
    def _info(self):
        return waveform_metric_info(_DESCRIPTION, _CITATION, _KWARGS_DESCRIPTION)

    def _compute(self, predictions, references, sampling_rate=None, mel_config=None):
        config = MelSpectrogramConfig() if mel_config is None else mel_config
        return compute_per_clip("mel_distance", mel_distance, predictions, references, sampling_rate, config=config)
