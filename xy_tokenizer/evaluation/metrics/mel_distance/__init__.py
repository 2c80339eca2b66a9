"""Folder of the `mel_distance` evaluate metric script (see ../__init__.py)."""
