"""Word error rate with xy_tokenizer's text normalisation, as a Hugging Face ``evaluate`` metric."""

import datasets
import evaluate

from xy_tokenizer.evaluation.config import TextNormalizationConfig
from xy_tokenizer.evaluation.error_rates import word_edit_counts

_DESCRIPTION = (
    "Word error rate (S + D + I) / N after lower-casing, NFKC and punctuation removal. "
    "Transcribe reconstructions with an ASR model first (xy_tokenizer.evaluation.asr_models)."
)
_CITATION = ""
_KWARGS_DESCRIPTION = """
Args:
    predictions: list of hypothesis transcripts (str).
    references: list of reference transcripts (str), same count.
    normalization (TextNormalizationConfig, optional): text normalisation settings.
Returns:
    wer: corpus WER (all errors / all reference words); wer_per_clip: list of per-pair WERs.
"""


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS_DESCRIPTION)
class Wer(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features(
                {"predictions": datasets.Value("string"), "references": datasets.Value("string")}
            ),
        )

    def _compute(self, predictions, references, normalization=None):
        config = TextNormalizationConfig() if normalization is None else normalization
        counts = [
            word_edit_counts(reference, prediction, config)
            for prediction, reference in zip(predictions, references, strict=True)
        ]
        total_words = sum(count.reference_length for count in counts)
        if total_words == 0:
            raise ValueError("wer: the references contain no words")
        return {
            "wer": sum(count.errors for count in counts) / total_words,
            "wer_per_clip": [count.error_rate if count.reference_length else float("nan") for count in counts],
        }
