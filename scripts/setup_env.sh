#!/usr/bin/env bash
# Create (or reuse) .venv and install the package with the exact versions CI uses.
# torch is pinned to 2.13.0: on these machines pip takes its CPU wheel from local disk, while an
# unpinned torch would pull a multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
. .venv/bin/activate
python -m pip install --quiet --disable-pip-version-check -r requirements/ci.txt
# resemblyzer's own pin (webrtcvad) imports pkg_resources, gone from current setuptools; the
# webrtcvad-wheels fork above provides the same module.
python -m pip install --quiet --disable-pip-version-check --no-deps resemblyzer==0.1.4
python -m pip install --quiet --disable-pip-version-check --no-deps -e .
