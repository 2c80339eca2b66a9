"""Hub model cards of the released XY-Tokenizer variants.

One template, filled per variant, so the three cards cannot drift apart. The rendered cards are
kept in `model_cards/` (`python -m xy_tokenizer.model_cards model_cards/` rewrites them; a test
checks they are current) and `xy-tokenizer push` uploads the matching one as the repo's README.
"""

import argparse
import string
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ReleasedVariant:
    """Facts about one released checkpoint."""

    name: str
    title: str
    original_repos: str
    output_sampling_rate: int
    vocoder_prefix: str
    training_data: str
    original_code: str


VARIANTS = {
    "16k": ReleasedVariant(
        name="16k",
        title="XY-Tokenizer (16 kHz)",
        original_repos="`fnlp/XY_Tokenizer`",
        output_sampling_rate=16000,
        vocoder_prefix="vocos",
        training_data="the full multilingual Emilia dataset (≈101k hours; en, zh, de, fr, ja, ko)",
        original_code="gyt1145028706/XY-Tokenizer",
    ),
    "24k": ReleasedVariant(
        name="24k",
        title="XY-Tokenizer TTSD (24 kHz decoder)",
        original_repos="`fnlp/XY_Tokenizer_TTSD_V0`",
        output_sampling_rate=24000,
        vocoder_prefix="enhanced_vocos",
        training_data="Emilia plus internal data containing general audio (per the official README)",
        original_code="OpenMOSS/MOSS-TTSD (`legacy/v0.7/XY_Tokenizer`)",
    ),
    "32k": ReleasedVariant(
        name="32k",
        title="XY-Tokenizer TTSD (32 kHz decoder)",
        original_repos="`fnlp/XY_Tokenizer_TTSD_V0_32k`, `OpenMOSS-Team/MOSS_TTSD_tokenizer`",
        output_sampling_rate=32000,
        vocoder_prefix="enhanced_vocos",
        training_data="Emilia plus internal data containing general audio (per the official README)",
        original_code="OpenMOSS/MOSS-TTSD (`legacy/v0.7/XY_Tokenizer`)",
    ),
}

TEMPLATE = string.Template(
    """---
license: apache-2.0
library_name: transformers
pipeline_tag: feature-extraction
tags:
- audio
- speech
- audio-tokenizer
- codec
- xy-tokenizer
---

# $title

XY-Tokenizer ([arXiv 2506.23325](https://arxiv.org/abs/2506.23325)) is a speech codec that turns
16 kHz speech into **8 residual-VQ codebooks × 1024 codes at 12.5 Hz (1 kbps)** carrying both
*semantics* (a frozen Whisper encoder, trained with an LLM-ASR objective) and *acoustics*
(speaker, prosody), and decodes them back to **$output_khz kHz** audio. It is the speech tokenizer of
speech LLMs such as MOSS-TTSD.

This repository holds the $title weights converted from $original_repos to the
Hugging Face format. The model code comes with it as remote code (from the `xy-tokenizer`
package; the original implementation is $original_code).

| | |
|---|---|
| input | mono audio at 16 kHz (resample other rates first) |
| codes | 8 codebooks × 1024 entries, 12.5 frames/s, 1280 input samples per frame: 1000 bit/s |
| output | $output_sampling_rate Hz, $output_samples_per_code samples per code frame |
| lower bitrates | `num_quantizers=n` (n = 1…8, 125 bit/s each); the release was trained with all 8 |
| parameters | ≈ 520 M (encoder side 263 M, decoder side 258 M) |

## Usage

With remote code (no extra package):

```python
import torch
from transformers import AutoFeatureExtractor, AutoModel

model = AutoModel.from_pretrained("REPO_ID", trust_remote_code=True).eval()
extractor = AutoFeatureExtractor.from_pretrained("REPO_ID", trust_remote_code=True)

inputs = extractor([waveform_16k], sampling_rate=16000, return_tensors="pt")  # list of 1-D float arrays
with torch.inference_mode():
    encoded = model.encode(inputs["input_values"], inputs["padding_mask"])
    codes = encoded.audio_codes                     # (batch, 8, frames), frames = floor(samples / 1280)
    audio = model.decode(codes, encoded.audio_codes_mask).audio_values  # (batch, 1, frames * $output_samples_per_code)
```

Any length works: audio longer than 30 s is split into windows (with context on both sides by
default; `windowing="original"` reproduces the original implementation's codes), and all windows
of all items run as one batch. A padded batch gives exactly the codes and audio of each item alone.
`dtype=torch.bfloat16` is supported; the quantizer and the ISTFT head stay in float32.

With the pip package (`pip install xy-tokenizer`), the same classes are importable as
`from xy_tokenizer import XYTokenizerModel, XYTokenizerFeatureExtractor`, and the command line
tokenizes folders of audio in any format soundfile reads, at any sampling rate:

```bash
xy-tokenizer encode REPO_ID audio_folder/ --output-dir codes/
xy-tokenizer decode REPO_ID codes/ --output-dir decoded/
```

Tokenizing a `datasets` dataset (any sampling rate; decoded arrays or `Audio(decode=False)` files):

```python
from xy_tokenizer.datasets_tokenization import tokenize_dataset
dataset = tokenize_dataset(dataset, model, audio_column="audio", cache_dir="cache/")  # + audio_codes, audio_codes_length
```

## Results reported by the authors

LibriSpeech test-clean reconstruction; WER is a SUPERB-style ASR probe on the quantized
features (LibriSpeech dev-clean). Numbers are the paper's, for the 16 kHz model; they were not
re-measured for this conversion.

| model | bitrate | frame rate | WER ↓ | SIM ↑ | STOI ↑ | PESQ-NB ↑ | PESQ-WB ↑ |
|---|---|---|---|---|---|---|---|
| DAC-2 | 1.5k | 75 Hz | 0.98 | 0.49 | 0.83 | 1.91 | 1.51 |
| BigCodec | 1.04k | 80 Hz | 0.49 | 0.84 | 0.93 | 3.26 | 2.68 |
| SpeechTokenizer (1.5 kbps) | 1.5k | 50 Hz | 0.34 | 0.65 | 0.88 | 2.58 | 2.10 |
| Mimi-8 | 1.1k | 12.5 Hz | 0.28 | 0.73 | 0.90 | 2.79 | 2.24 |
| Baichuan Audio Tokenizer | 1.075k | 12.5 Hz | 0.10 | 0.70 | 0.88 | 2.45 | 1.93 |
| XCodec2.0 | 0.8k | 50 Hz | 0.30 | 0.82 | 0.91 | 3.03 | 2.43 |
| **XY-Tokenizer** | **1k** | **12.5 Hz** | **0.13** | **0.83** | **0.91** | **3.00** | **2.41** |

## Conversion and parity

Converted with `xy-tokenizer convert` (explicit key table: `$vocoder_prefix.` → `vocos.`,
legacy weight norm → `parametrizations`). On seeded test models in the original format, the
converted model gives codes identical to the original implementation and audio within 1.3e-7
(float32, CPU) of the original decoding each item alone.

## Training

Stage 1 ("X"): frozen Whisper-small semantic encoder + trainable adapter, Whisper-initialised
acoustic encoder, shared RVQ; multi-scale mel reconstruction plus the cross-entropy of a frozen
Qwen2.5 LLM conditioned on the quantized features. Stage 2 ("Y"): encoder and quantizer frozen,
LLM dropped, decoder trained with discriminators. Data: $training_data.

## Limitations

- Speech only: the codec was trained for speech; music and general audio are out of scope$general_audio_note.
- Reported numbers cover English test sets only, although training was multilingual.
- Fewer than 8 codebooks work mechanically but were never trained for (quantizer dropout was 0).
- 1 kbps is lossy: expect some loss of fine acoustic detail (PESQ-WB ≈ 2.4 on clean speech).
- As any speech codec, it can be used to re-synthesise someone's voice; use it with consent.

## Citation

```bibtex
@article{gong2025xytokenizer,
  title   = {XY-Tokenizer: Mitigating the Semantic-Acoustic Conflict in Low-Bitrate Speech Codecs},
  author  = {Gong, Yitian and others},
  journal = {arXiv preprint arXiv:2506.23325},
  year    = {2025}
}
```

## License

Apache-2.0, as the original code and weights.
"""
)


def render_model_card(variant: str, repo_id: str = "REPO_ID") -> str:
    """The card of a released variant (`"16k"`, `"24k"` or `"32k"`), with `repo_id` in its examples."""
    if variant not in VARIANTS:
        raise ValueError(f"Unknown variant {variant!r}; expected one of {sorted(VARIANTS)}.")
    facts = VARIANTS[variant]
    card = TEMPLATE.substitute(
        title=facts.title,
        original_repos=facts.original_repos,
        original_code=facts.original_code,
        output_khz=facts.output_sampling_rate // 1000,
        output_sampling_rate=facts.output_sampling_rate,
        output_samples_per_code=facts.output_sampling_rate * 1280 // 16000,
        vocoder_prefix=facts.vocoder_prefix,
        training_data=facts.training_data,
        general_audio_note="" if variant == "16k" else " (this decoder saw some general audio in training)",
    )
    return card.replace("REPO_ID", repo_id)


def variant_for_output_rate(output_sampling_rate: int) -> str:
    for name, facts in VARIANTS.items():
        if facts.output_sampling_rate == output_sampling_rate:
            return name
    raise ValueError(f"No released variant writes {output_sampling_rate} Hz; pass a card explicitly.")


def card_path(folder: str | Path, variant: str) -> Path:
    return Path(folder) / f"xy_tokenizer_{variant}.md"


def write_model_cards(folder: str | Path) -> list[Path]:
    paths = []
    for variant in VARIANTS:
        path = card_path(folder, variant)
        path.write_text(render_model_card(variant), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the released variants' model cards.")
    parser.add_argument("folder", help="where to write xy_tokenizer_{16k,24k,32k}.md")
    args = parser.parse_args(argv)
    for path in write_model_cards(args.folder):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
