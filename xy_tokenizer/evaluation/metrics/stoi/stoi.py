"""STOI of reconstructed audio against the original, as a Hugging Face ``evaluate`` metric."""

import evaluate

from xy_tokenizer.evaluation.config import StoiConfig
from xy_tokenizer.evaluation.hf_evaluate import compute_per_clip, waveform_metric_info
from xy_tokenizer.evaluation.intelligibility import stoi

_DESCRIPTION = (
    "Short-Time Objective Intelligibility (pystoi) of each prediction against its reference; mean over clips."
)
_CITATION = (
    "Taal, Hendriks, Heusdens, Jensen. An Algorithm for Intelligibility Prediction of "
    "Time-Frequency Weighted Noisy Speech. IEEE TASLP 2011."
)
_KWARGS_DESCRIPTION = """
Args:
    predictions: list of reconstructed mono waveforms, each of shape (num_samples,).
    references: list of original mono waveforms, same count and rate.
    sampling_rate (int): rate of all waveforms in Hz.
    extended (bool): extended STOI instead of classic STOI. Default False.
Returns:
    stoi: mean score (at most 1, higher is better); stoi_per_clip: list of scores.
"""


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS_DESCRIPTION)
class Stoi(evaluate.Metric):
    def _info(self):
        return waveform_metric_info(_DESCRIPTION, _CITATION, _KWARGS_DESCRIPTION)

    def _compute(self, predictions, references, sampling_rate=None, extended=False):
        return compute_per_clip(
            "stoi", stoi, predictions, references, sampling_rate, config=StoiConfig(extended=extended)
        )
