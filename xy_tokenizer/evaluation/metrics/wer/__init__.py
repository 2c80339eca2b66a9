"""Folder of the `wer` evaluate metric script (see ../__init__.py)."""
