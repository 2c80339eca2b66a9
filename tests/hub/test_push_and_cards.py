"""Hub push (captured offline: the HfApi object transformers uses is replaced) and model cards."""

import json
from pathlib import Path

import pytest
from helpers import make_tiny_model

from xy_tokenizer.cli import main as cli_main
from xy_tokenizer.conversion import REMOTE_CODE_FILES, save_with_remote_code
from xy_tokenizer.feature_extraction_xy_tokenizer import XYTokenizerFeatureExtractor
from xy_tokenizer.model_cards import VARIANTS, card_path, render_model_card

MODEL_CARDS = Path(__file__).resolve().parents[2] / "model_cards"
EXPECTED_FILES = {"README.md", "config.json", "model.safetensors", "preprocessor_config.json", *REMOTE_CODE_FILES}


class RecordingApi:
    """Stands in for transformers' shared `HfApi`: records what would be sent."""

    def __init__(self):
        self.repos, self.commits = [], []

    def create_repo(self, repo_id, **kwargs):
        self.repos.append((repo_id, kwargs))
        return type("RepoUrl", (), {"repo_id": repo_id})()

    def create_commit(self, repo_id, operations, **kwargs):
        files = {}
        for op in operations:
            source = op.path_or_fileobj
            files[op.path_in_repo] = source if isinstance(source, bytes) else Path(source).read_bytes()
        self.commits.append({"repo_id": repo_id, "files": files, **kwargs})
        return type("CommitInfo", (), {"commit_url": f"https://hub/{repo_id}/commit/0"})()

    def create_branch(self, **kwargs):
        pass


@pytest.fixture
def api(monkeypatch):
    recorder = RecordingApi()
    monkeypatch.setattr("transformers.utils.hub.hf_api", lambda: recorder)
    return recorder


@pytest.fixture
def folder(tmp_path):
    model = make_tiny_model("24k")
    save_with_remote_code(model, XYTokenizerFeatureExtractor.from_model_config(model.config), tmp_path / "model")
    return tmp_path / "model"


def test_cli_push_sends_one_commit_with_code_weights_and_card(api, folder):
    assert cli_main(["push", str(folder), "me/xy-24k", "--private"]) == 0
    assert api.repos == [("me/xy-24k", {"private": True, "token": None, "exist_ok": True})]
    (commit,) = api.commits
    files = commit["files"]
    assert set(files) == EXPECTED_FILES
    for name in REMOTE_CODE_FILES:
        assert files[name] == (folder / name).read_bytes()
    config = json.loads(files["config.json"])
    assert config["auto_map"]["AutoModel"] == "modeling_xy_tokenizer.XYTokenizerModel"
    assert json.loads(files["preprocessor_config.json"])["auto_map"]["AutoFeatureExtractor"].endswith(
        "XYTokenizerFeatureExtractor"
    )
    card = files["README.md"].decode()
    assert card == render_model_card("24k", "me/xy-24k")
    assert 'AutoModel.from_pretrained("me/xy-24k", trust_remote_code=True)' in card


def test_push_refuses_an_incomplete_folder(api, folder):
    (folder / "modeling_xy_tokenizer.py").unlink()
    assert cli_main(["push", str(folder), "me/broken"]) == 2
    assert api.commits == []


def test_model_push_to_hub_of_transformers_includes_the_remote_code(api, monkeypatch, tmp_path):
    """The plain transformers path (`model.push_to_hub`) also uploads the code and `auto_map`."""
    from huggingface_hub import ModelCard

    monkeypatch.setattr(
        "transformers.utils.hub.create_and_tag_model_card", lambda repo_id, tags=None, token=None: ModelCard("card")
    )
    make_tiny_model().push_to_hub("me/plain")
    files = api.commits[-1]["files"]
    assert {"config.json", "model.safetensors", "configuration_xy_tokenizer.py", "modeling_xy_tokenizer.py"} <= set(files)
    assert json.loads(files["config.json"])["auto_map"]["AutoModel"] == "modeling_xy_tokenizer.XYTokenizerModel"


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_committed_cards_are_current_and_complete(variant):
    card = card_path(MODEL_CARDS, variant).read_text(encoding="utf-8")
    assert card == render_model_card(variant), "run: python -m xy_tokenizer.model_cards model_cards/"
    rate = VARIANTS[variant].output_sampling_rate
    for needle in ("license: apache-2.0", "trust_remote_code=True", "pip install xy-tokenizer", "tokenize_dataset",
                   "1000 bit/s", "12.5", f"{rate} Hz", "| **XY-Tokenizer** | **1k**", "## Limitations", "@article"):  # fmt: skip
        assert needle in card, needle
