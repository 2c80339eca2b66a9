"""Hugging Face ``evaluate`` metric scripts, one folder per metric, loaded by local path.

See :mod:`xy_tokenizer.evaluation.hf_evaluate`. The folders are packages only so that they are
installed with ``xy_tokenizer``; ``evaluate.load(<folder>)`` runs ``<folder>/<folder name>.py``.
"""
