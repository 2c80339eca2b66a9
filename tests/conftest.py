"""Fixtures shared by the whole suite."""

from pathlib import Path

import pytest
from helpers import DATA_DIR, make_tiny_model

from xy_tokenizer.modeling_xy_tokenizer import XYTokenizerModel


@pytest.fixture
def tiny_model() -> XYTokenizerModel:
    return make_tiny_model()


@pytest.fixture
def data_dir() -> Path:
    return DATA_DIR
