"""Folder of the `speaker_similarity` evaluate metric script (see ../__init__.py)."""
