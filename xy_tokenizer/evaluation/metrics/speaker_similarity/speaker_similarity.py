"""Speaker-embedding cosine similarity of reconstructed audio, as a Hugging Face ``evaluate`` metric."""

import evaluate

from xy_tokenizer.evaluation.hf_evaluate import compute_per_clip, waveform_metric_info
from xy_tokenizer.evaluation.speaker_similarity import speaker_similarity

_DESCRIPTION = (
    "Cosine similarity of speaker embeddings of each prediction and its reference (default model: "
    "Resemblyzer, offline); mean over clips."
)
_CITATION = "Wan, Wang, Papir, Lopez Moreno. Generalized End-to-End Loss for Speaker Verification. ICASSP 2018."
_KWARGS_DESCRIPTION = """
Args:
    predictions: list of reconstructed mono waveforms, each of shape (num_samples,).
    references: list of original mono waveforms, same count and rate.
    sampling_rate (int): rate of all waveforms in Hz.
    speaker_model (optional): object with embed(waveform, sampling_rate) -> (embedding_dim,) array.
Returns:
    speaker_similarity: mean similarity (1 for identical audio); speaker_similarity_per_clip.
"""


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS_DESCRIPTION)
class SpeakerSimilarity(evaluate.Metric):
    def _info(self):
        return waveform_metric_info(_DESCRIPTION, _CITATION, _KWARGS_DESCRIPTION)

    def _compute(self, predictions, references, sampling_rate=None, speaker_model=None):
        return compute_per_clip(
            "speaker_similarity",
            speaker_similarity,
            predictions,
            references,
            sampling_rate,
            speaker_model=speaker_model,
        )
