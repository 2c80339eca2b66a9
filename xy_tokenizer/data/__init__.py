"""`datasets` integration: tokenize an audio column into codes, decode a codes column into audio,
on one process, `num_proc` workers, or every rank of an `accelerate launch` job.

One job per module: `audio_cells` (reading cells without ffmpeg), `buckets` (length sorting),
`fingerprint` (cache keys of a model transform), `processes` (device and threads per worker),
`model_transport` (handing the model to worker processes), `sharded_map` (resumable `.map`),
`tokenization`, `detokenization`, `distributed`.
"""

from .detokenization import decode_dataset
from .distributed import tokenize_dataset_distributed
from .fingerprint import model_fingerprint
from .tokenization import tokenize_dataset

__all__ = ["decode_dataset", "model_fingerprint", "tokenize_dataset", "tokenize_dataset_distributed"]
