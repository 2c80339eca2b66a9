#!/usr/bin/env bash
# Set up the environment, convert an original checkpoint, tokenize real clips and decode them back.
#
# Without arguments it uses the small random-weight checkpoint in tests/data/parity/16k (no download
# is possible here), so the decoded audio is noise but every step is the real one. With a released
# checkpoint:  bash scripts/demo.sh path/to/xy_tokenizer.ckpt path/to/config.yaml
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_env.sh
. .venv/bin/activate
checkpoint="${1:-tests/data/parity/16k/generator.ckpt}"
config="${2:-tests/data/parity/16k/config.yaml}"
out=outputs/demo
rm -rf "$out"
xy-tokenizer convert --checkpoint "$checkpoint" --config "$config" --output-dir "$out/model"
xy-tokenizer encode "$out/model" tests/data/speech --output-dir "$out/codes"
xy-tokenizer decode "$out/model" "$out/codes" --output-dir "$out/decoded"
python - "$out" <<'PY'
import sys
from pathlib import Path

import numpy as np
import soundfile

out = Path(sys.argv[1])
for codes_path in sorted((out / "codes").glob("*.npy")):
    codes = np.load(codes_path)
    audio, rate = soundfile.read(out / "decoded" / f"{codes_path.stem}.wav")
    print(f"{codes_path.stem}: codes {codes.shape} (num_quantizers, frames) at 12.5 Hz -> "
          f"{len(audio) / rate:.2f} s of {rate} Hz audio in {out / 'decoded' / (codes_path.stem + '.wav')}")
PY
