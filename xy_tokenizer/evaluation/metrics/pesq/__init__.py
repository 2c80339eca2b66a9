"""Folder of the `pesq` evaluate metric script (see ../__init__.py)."""
