"""Convert an original XY-Tokenizer checkpoint (YAML + `.ckpt`) into a transformers folder.

The mapping is an explicit rename table: every original key must map onto exactly one key of
`XYTokenizerModel` with the same shape, and every model key must be covered. Anything else is an
error, and nothing is written unless the whole conversion succeeds.
"""

import json
import re
import shutil
import tempfile
from pathlib import Path

import torch
import yaml

from .configuration_xy_tokenizer import XYTokenizerConfig
from .feature_extraction_xy_tokenizer import XYTokenizerFeatureExtractor
from .modeling_xy_tokenizer import XYTokenizerModel

# (pattern, replacement) applied in order to every original key. Each entry names one
# difference between the original layouts and ours (STATE_DICT.md §6–7).
KEY_RENAMES: list[tuple[str, str]] = [
    # MOSS-TTSD 24/32 kHz checkpoints name the vocoder `enhanced_vocos`.
    (r"^enhanced_vocos\.", "vocos."),
    # Legacy `torch.nn.utils.weight_norm` → parametrization API (magnitude g, direction v).
    (r"\.weight_g$", ".parametrizations.weight.original0"),
    (r"\.weight_v$", ".parametrizations.weight.original1"),
    # Some HF-format exports store the sinusoid table as an embedding weight.
    (r"\.positional_embedding\.weight$", ".positional_embedding"),
]


class ConversionError(ValueError):
    """The checkpoint does not match the configuration (missing, unexpected or mis-shaped keys)."""


def rename_key(key: str) -> str:
    for pattern, replacement in KEY_RENAMES:
        key = re.sub(pattern, replacement, key)
    return key


def load_original_config(config_path: str | Path) -> XYTokenizerConfig:
    """Read an original YAML file (its `generator_params` block) into an `XYTokenizerConfig`."""
    with open(config_path, encoding="utf-8") as handle:
        content = yaml.safe_load(handle)
    if not isinstance(content, dict):
        raise ConversionError(f"{config_path} is not a YAML mapping.")
    params = content.get("generator_params", content)
    return XYTokenizerConfig.from_original_generator_params(params)


def load_original_state_dict(checkpoint_path: str | Path) -> dict[str, torch.Tensor]:
    """Read `{'generator': state_dict, ...}` or a bare state dict with `weights_only=True`."""
    checkpoint = torch.load(checkpoint_path, map_location="cpu", weights_only=True)
    if not isinstance(checkpoint, dict):
        raise ConversionError(f"{checkpoint_path} holds a {type(checkpoint).__name__}, not a state dict.")
    state_dict = checkpoint.get("generator", checkpoint)
    tensors = {key: value for key, value in state_dict.items() if isinstance(value, torch.Tensor)}
    if not tensors:
        raise ConversionError(f"{checkpoint_path} contains no tensors under 'generator' or at the top level.")
    return tensors


def convert_state_dict(original: dict[str, torch.Tensor], model: XYTokenizerModel) -> dict[str, torch.Tensor]:
    """Map original keys onto `model`'s state dict; raise `ConversionError` listing every problem."""
    expected = model.state_dict()
    converted, problems = {}, []
    for key, tensor in original.items():
        new_key = rename_key(key)
        if new_key in converted:
            problems.append(f"two original keys map to {new_key}")
            continue
        if new_key not in expected:
            problems.append(f"unexpected key {key}")
            continue
        target = expected[new_key]
        if new_key.endswith(".inited") and tensor.numel() == 1:
            tensor = tensor.reshape(target.shape)  # HF-format exports store a 0-d flag
        if tuple(tensor.shape) != tuple(target.shape):
            problems.append(f"{key}: shape {tuple(tensor.shape)}, model expects {tuple(target.shape)}")
            continue
        converted[new_key] = tensor.to(target.dtype)
    missing = sorted(set(expected) - set(converted))
    problems.extend(f"missing key {key}" for key in missing)
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise ConversionError(f"The checkpoint does not match the configuration:\n  {shown}{more}")
    return converted


def build_model(config: XYTokenizerConfig, original: dict[str, torch.Tensor]) -> XYTokenizerModel:
    model = XYTokenizerModel(config)
    model.load_state_dict(convert_state_dict(original, model), strict=True)
    return model.eval()


def convert_checkpoint(
    checkpoint_path: str | Path, config_path: str | Path, output_dir: str | Path, overwrite: bool = False
) -> Path:
    """Convert an original checkpoint into `output_dir`: `model.safetensors`, `config.json`,
    `preprocessor_config.json` and the three remote-code files registered in `auto_map`.

    The folder is written to a temporary location first and moved into place only on success."""
    output_dir = Path(output_dir)
    if output_dir.exists() and any(output_dir.iterdir()) and not overwrite:
        raise FileExistsError(f"{output_dir} exists and is not empty; pass overwrite=True to replace it.")
    config = load_original_config(config_path)
    model = build_model(config, load_original_state_dict(checkpoint_path))
    feature_extractor = XYTokenizerFeatureExtractor.from_model_config(config)
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output_dir.parent, prefix=f".{output_dir.name}.") as staging:
        save_with_remote_code(model, feature_extractor, staging)
        if output_dir.exists():
            shutil.rmtree(output_dir)
        shutil.move(staging, output_dir)
        Path(staging).mkdir()  # let TemporaryDirectory clean up an empty folder
    return output_dir


def save_with_remote_code(model: XYTokenizerModel, feature_extractor: XYTokenizerFeatureExtractor, output_dir) -> None:
    """`save_pretrained` both objects (each writes its code files and `auto_map`, see `_auto_class`),
    so that `AutoModel.from_pretrained(output_dir, trust_remote_code=True)` works without this
    package; check that it did."""
    model.save_pretrained(output_dir)
    feature_extractor.save_pretrained(output_dir)
    check_saved_folder(Path(output_dir))


REMOTE_CODE_FILES = ("configuration_xy_tokenizer.py", "feature_extraction_xy_tokenizer.py", "modeling_xy_tokenizer.py")


def check_saved_folder(folder: Path) -> None:
    missing = [name for name in ("config.json", "model.safetensors", "preprocessor_config.json", *REMOTE_CODE_FILES)
               if not (folder / name).is_file()]  # fmt: skip
    if missing:
        raise ConversionError(f"save_pretrained did not write {missing} into {folder}.")
    auto_map = json.loads((folder / "config.json").read_text()).get("auto_map", {})
    if "AutoModel" not in auto_map or "AutoConfig" not in auto_map:
        raise ConversionError(f"config.json in {folder} lacks auto_map entries: {auto_map}.")
