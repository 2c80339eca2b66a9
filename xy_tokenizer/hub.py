"""Push a converted model folder to the Hugging Face Hub with its model card, in one commit."""

import json
from pathlib import Path

from huggingface_hub import CommitOperationAdd
from transformers.utils import hub as transformers_hub

from .conversion import check_saved_folder
from .model_cards import render_model_card, variant_for_output_rate

CARD_NAME = "README.md"


def folder_operations(folder: Path, card: str) -> list[CommitOperationAdd]:
    """One add operation per file of a converted folder (code, configs, weights) plus the card."""
    operations = [
        CommitOperationAdd(path_in_repo=path.name, path_or_fileobj=str(path))
        for path in sorted(folder.iterdir())
        if path.is_file() and path.name != CARD_NAME and not path.name.startswith(".")
    ]
    operations.append(CommitOperationAdd(path_in_repo=CARD_NAME, path_or_fileobj=card.encode("utf-8")))
    return operations


def push_to_hub(
    folder: str | Path,
    repo_id: str,
    card: str | Path | None = None,
    private: bool = False,
    token: str | None = None,
    commit_message: str = "Upload XY-Tokenizer (model, feature extractor, remote code, card)",
    revision: str | None = None,
):
    """Upload a folder written by `convert_checkpoint`/`save_with_remote_code` to `repo_id`.

    Args:
        folder: the converted model folder (must hold the weights, both configs and the three
            code files registered in `auto_map`).
        repo_id: Hub repository, created if missing.
        card: a model card file; by default the card of the released variant with the folder's
            output sampling rate, with `repo_id` filled into its examples.

    Returns the `CommitInfo` of the single commit that adds every file.
    """
    folder = Path(folder)
    check_saved_folder(folder)
    if card is None:
        output_rate = json.loads((folder / "config.json").read_text())["output_sampling_rate"]
        card_text = render_model_card(variant_for_output_rate(output_rate), repo_id)
    else:
        card_text = Path(card).read_text(encoding="utf-8")
    # transformers' shared HfApi object: the one `PreTrainedModel.push_to_hub` goes through.
    api = transformers_hub.hf_api()
    repo_id = api.create_repo(repo_id, private=private, token=token, exist_ok=True).repo_id
    return api.create_commit(
        repo_id=repo_id,
        operations=folder_operations(folder, card_text),
        commit_message=commit_message,
        token=token,
        revision=revision,
    )


__all__ = ["push_to_hub"]
