"""Narrow- and wide-band PESQ of reconstructed audio, as a Hugging Face ``evaluate`` metric."""

import evaluate

from xy_tokenizer.evaluation.hf_evaluate import compute_per_clip, waveform_metric_info
from xy_tokenizer.evaluation.perceptual_quality import PESQ_MODES, pesq_narrowband, pesq_wideband

_DESCRIPTION = "ITU-T P.862 PESQ (pesq package) of each prediction against its reference; mean over clips."
_CITATION = "ITU-T Recommendation P.862 (2001), P.862.1 and P.862.2."
_KWARGS_DESCRIPTION = """
Args:
    predictions: list of reconstructed mono waveforms, each of shape (num_samples,).
    references: list of original mono waveforms, same count and rate.
    sampling_rate (int): rate of all waveforms in Hz (resampled to 8/16 kHz with soxr).
    modes (list of "nb"/"wb"): which bands to compute. Default both ("wb" needs >= 16 kHz).
Returns:
    pesq_nb / pesq_wb: mean MOS-LQO (higher is better); pesq_nb_per_clip / pesq_wb_per_clip.
"""

_FUNCTIONS = {"nb": pesq_narrowband, "wb": pesq_wideband}


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS_DESCRIPTION)
class Pesq(evaluate.Metric):
    def _info(self):
        return waveform_metric_info(_DESCRIPTION, _CITATION, _KWARGS_DESCRIPTION)

    def _compute(self, predictions, references, sampling_rate=None, modes=PESQ_MODES):
        if isinstance(modes, str):
            modes = (modes,)
        unknown = [mode for mode in modes if mode not in _FUNCTIONS]
        if unknown or not modes:
            raise ValueError(f"modes must be a non-empty subset of {PESQ_MODES}, got {modes!r}")
        results = {}
        for mode in modes:
            results.update(compute_per_clip(f"pesq_{mode}", _FUNCTIONS[mode], predictions, references, sampling_rate))
        return results
