"""XY-Tokenizer: a 1 kbps semantic + acoustic speech codec for Hugging Face transformers.

Importing the package registers the model with the Auto classes, so that `AutoModel`,
`AutoConfig` and `AutoFeatureExtractor` load converted folders without `trust_remote_code`.
"""

from transformers import AutoConfig, AutoFeatureExtractor, AutoModel

from .configuration_xy_tokenizer import XYTokenizerConfig
from .feature_extraction_xy_tokenizer import XYTokenizerFeatureExtractor
from .modeling_xy_tokenizer import (
    XYTokenizerDecoderOutput,
    XYTokenizerEncoderOutput,
    XYTokenizerModel,
    XYTokenizerOutput,
    XYTokenizerPreTrainedModel,
)

AutoConfig.register(XYTokenizerConfig.model_type, XYTokenizerConfig, exist_ok=True)
AutoModel.register(XYTokenizerConfig, XYTokenizerModel, exist_ok=True)
AutoFeatureExtractor.register(XYTokenizerConfig, XYTokenizerFeatureExtractor, exist_ok=True)

__version__ = "0.1.0"

__all__ = [
    "XYTokenizerConfig",
    "XYTokenizerDecoderOutput",
    "XYTokenizerEncoderOutput",
    "XYTokenizerFeatureExtractor",
    "XYTokenizerModel",
    "XYTokenizerOutput",
    "XYTokenizerPreTrainedModel",
]
