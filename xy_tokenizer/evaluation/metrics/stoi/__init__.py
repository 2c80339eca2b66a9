"""Folder of the `stoi` evaluate metric script (see ../__init__.py)."""
