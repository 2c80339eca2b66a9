"""The three model files work as Hub remote code in a fresh process without our package."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import torch
from helpers import DATA_DIR, make_tiny_model, random_speechlike

from xy_tokenizer.conversion import REMOTE_CODE_FILES, convert_checkpoint, save_with_remote_code
from xy_tokenizer.feature_extraction_xy_tokenizer import XYTokenizerFeatureExtractor
from xy_tokenizer.modeling_xy_tokenizer import XYTokenizerModel

REMOTE_SCRIPT = textwrap.dedent(
    """
    import importlib.abc, sys
    import numpy as np, torch

    class BlockPackage(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "xy_tokenizer" or name.startswith("xy_tokenizer."):
                raise ImportError("xy_tokenizer is blocked in this process")

    sys.meta_path.insert(0, BlockPackage())
    try:
        import xy_tokenizer  # noqa: F401
    except ImportError:
        pass
    else:
        sys.exit("the package is importable: the test would prove nothing")

    from transformers import AutoConfig, AutoFeatureExtractor, AutoModel

    folder, inputs, outputs = sys.argv[1:4]
    config = AutoConfig.from_pretrained(folder, trust_remote_code=True)
    model = AutoModel.from_pretrained(folder, trust_remote_code=True).eval()
    extractor = AutoFeatureExtractor.from_pretrained(folder, trust_remote_code=True)
    assert type(model).__module__.startswith("transformers_modules."), type(model).__module__
    assert type(config).__name__ == "XYTokenizerConfig" and type(extractor).__name__ == "XYTokenizerFeatureExtractor"
    clips = [clip for _, clip in sorted(np.load(inputs).items())]
    features = extractor(clips, sampling_rate=extractor.sampling_rate, return_tensors="pt")
    with torch.no_grad():
        encoded = model.encode(features["input_values"], features["padding_mask"])
        decoded = model.decode(encoded.audio_codes, encoded.audio_codes_mask)
    np.savez(outputs, codes=encoded.audio_codes.numpy(), audio=decoded.audio_values.numpy())
    """
)


def run_without_package(folder, inputs, outputs, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    env.update(HF_HUB_OFFLINE="1", HF_MODULES_CACHE=str(tmp_path / "modules"), HF_HOME=str(tmp_path / "hf"))
    script = tmp_path / "remote.py"
    script.write_text(REMOTE_SCRIPT)
    result = subprocess.run(
        [sys.executable, str(script), str(folder), str(inputs), str(outputs)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return np.load(outputs)


def reference_outputs(model, clips):
    extractor = XYTokenizerFeatureExtractor.from_model_config(model.config)
    features = extractor(clips, sampling_rate=16000, return_tensors="pt")
    with torch.no_grad():
        encoded = model.encode(features["input_values"], features["padding_mask"])
        decoded = model.decode(encoded.audio_codes, encoded.audio_codes_mask)
    return encoded.audio_codes.numpy(), decoded.audio_values.numpy()


def test_converted_checkpoint_loads_as_remote_code(tmp_path):
    folder = convert_checkpoint(
        DATA_DIR / "parity" / "24k" / "generator.ckpt", DATA_DIR / "parity" / "24k" / "config.yaml", tmp_path / "model"
    )
    inputs = np.load(DATA_DIR / "parity" / "inputs.npz")
    clips = [inputs[key] for key in sorted(inputs.files)]
    np.savez(tmp_path / "inputs.npz", **{key: inputs[key] for key in inputs.files})
    remote = run_without_package(folder, tmp_path / "inputs.npz", tmp_path / "outputs.npz", tmp_path)
    codes, audio = reference_outputs(XYTokenizerModel.from_pretrained(folder).eval(), clips)
    np.testing.assert_array_equal(remote["codes"], codes)
    np.testing.assert_array_equal(remote["audio"], audio)


def test_save_with_remote_code_from_a_fresh_model(tmp_path):
    model = make_tiny_model()
    extractor = XYTokenizerFeatureExtractor.from_model_config(model.config)
    save_with_remote_code(model, extractor, tmp_path / "tiny")
    for name in REMOTE_CODE_FILES:
        source = (tmp_path / "tiny" / name).read_text()
        assert "xy_tokenizer." not in source.replace("modeling_xy_tokenizer", "").replace(
            "configuration_xy_tokenizer", "").replace("feature_extraction_xy_tokenizer", ""), name  # fmt: skip
    clips = [random_speechlike(n, i).numpy() for i, n in enumerate([5000, 12000])]
    np.savez(tmp_path / "inputs.npz", a=clips[0], b=clips[1])
    remote = run_without_package(tmp_path / "tiny", tmp_path / "inputs.npz", tmp_path / "outputs.npz", tmp_path)
    codes, audio = reference_outputs(model, clips)
    np.testing.assert_array_equal(remote["codes"], codes)
    np.testing.assert_allclose(remote["audio"], audio, atol=1e-6, rtol=0)


def test_bundle_imports_only_torch_numpy_transformers_and_itself():
    import ast
    import pathlib
    import sys as system

    import xy_tokenizer

    allowed_roots = {"torch", "numpy", "transformers"} | set(system.stdlib_module_names)
    allowed_transformers = {"transformers", "transformers.activations", "transformers.audio_utils", "transformers.utils"}
    for name in REMOTE_CODE_FILES:
        tree = ast.parse((pathlib.Path(xy_tokenizer.__file__).parent / name).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                assert node.module in {f.removesuffix(".py") for f in REMOTE_CODE_FILES}, (name, node.module)
                continue
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) else [])  # fmt: skip
            for module in modules:
                assert module.split(".")[0] in allowed_roots, (name, module)
                if module.startswith("transformers"):
                    assert module in allowed_transformers, (name, module)


def test_installed_package_registers_auto_classes(tmp_path):
    from transformers import AutoConfig, AutoFeatureExtractor, AutoModel

    import xy_tokenizer

    model = make_tiny_model()
    model.save_pretrained(tmp_path)
    XYTokenizerFeatureExtractor.from_model_config(model.config).save_pretrained(tmp_path)
    assert isinstance(AutoConfig.from_pretrained(tmp_path), xy_tokenizer.XYTokenizerConfig)
    assert isinstance(AutoModel.from_pretrained(tmp_path), xy_tokenizer.XYTokenizerModel)
    assert isinstance(AutoFeatureExtractor.from_pretrained(tmp_path), xy_tokenizer.XYTokenizerFeatureExtractor)
