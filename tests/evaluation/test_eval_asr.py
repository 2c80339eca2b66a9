"""ASR backends: a stand-in pipeline, faster-whisper with the bundled offline model, transformers."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from xy_tokenizer.evaluation import (
    ASRModel,
    FasterWhisperASR,
    FasterWhisperConfig,
    MissingDependencyError,
    TransformersASR,
    TransformersASRConfig,
    bundled_faster_whisper_model_dir,
    evaluate_pairs,
    word_error_rate,
)


class RecordingPipeline:
    """Stand-in for a transformers ASR pipeline: records its input, returns a fixed text."""

    class feature_extractor:  # noqa: N801 - mimics the pipeline attribute
        sampling_rate = 16000

    def __init__(self) -> None:
        self.inputs: list[dict] = []
        self.kwargs: list[dict] = []

    def __call__(self, inputs, **kwargs):
        self.inputs.append(inputs)
        self.kwargs.append(kwargs)
        return {"text": "  hello world "}


def test_transformers_backend_resamples_and_strips(speech_24k):
    waveform, sampling_rate = speech_24k
    pipeline = RecordingPipeline()
    asr = TransformersASR(pipeline, TransformersASRConfig(generate_kwargs={"language": "en"}))
    assert isinstance(asr, ASRModel)
    assert asr.transcribe(waveform, sampling_rate) == "hello world"
    sent = pipeline.inputs[0]
    assert sent["sampling_rate"] == 16000
    assert sent["raw"].dtype == np.float32
    assert sent["raw"].shape == (round(len(waveform) * 16000 / sampling_rate),)
    assert pipeline.kwargs[0] == {"generate_kwargs": {"language": "en"}}


def test_transformers_backend_rejects_non_models():
    with pytest.raises(TypeError):
        TransformersASR(42)


@pytest.fixture(scope="module")
def bundled_model_dir():
    try:
        return bundled_faster_whisper_model_dir()
    except MissingDependencyError as error:
        pytest.skip(str(error))


@pytest.fixture(scope="module")
def faster_whisper_asr(bundled_model_dir):
    if importlib.util.find_spec("faster_whisper") is None:
        pytest.skip("faster-whisper not installed")
    return FasterWhisperASR(bundled_model_dir, FasterWhisperConfig(language="en", beam_size=1, cpu_threads=2))


def test_bundled_model_dir_holds_a_ctranslate2_model(bundled_model_dir):
    assert (bundled_model_dir / "model.bin").stat().st_size > 10_000_000
    assert (bundled_model_dir / "tokenizer.json").is_file()


@pytest.mark.slow
def test_faster_whisper_transcribes_real_speech_offline(faster_whisper_asr, speech_16k, speech_24k, transcripts):
    text_16k = faster_whisper_asr.transcribe(*speech_16k)
    assert word_error_rate(transcripts["xy_2.flac"], text_16k) <= 1 / 15 + 1e-9  # at most the proper name
    text_24k = faster_whisper_asr.transcribe(*speech_24k)  # resampled to 16 kHz internally
    assert word_error_rate(transcripts["moss_m1.wav"], text_24k) == 0.0


@pytest.mark.slow
def test_wer_of_noisy_reconstruction_is_worse(faster_whisper_asr, speech_16k, add_noise, transcripts):
    waveform, sampling_rate = speech_16k
    results = evaluate_pairs(
        [waveform, waveform],
        [waveform, add_noise(waveform, 0.0)],
        sampling_rate,
        metrics=["wer"],
        asr_model=faster_whisper_asr,
        clip_ids=["clean", "noisy_0db"],
    )
    clean, noisy = results.rows
    assert clean["reference_text_source"] == "asr"
    assert clean["wer"] == 0.0  # same audio, same deterministic transcript
    assert noisy["wer"] > 0.2
    with_truth = evaluate_pairs(
        [waveform],
        [waveform],
        sampling_rate,
        metrics=["wer"],
        asr_model=faster_whisper_asr,
        references_text=[transcripts["xy_2.flac"]],
    )
    assert with_truth.rows[0]["reference_text_source"] == "given"
    assert with_truth.corpus_wer <= 1 / 15 + 1e-9


@pytest.fixture(scope="module")
def tiny_random_whisper_dir(tmp_path_factory, bundled_model_dir):
    """A randomly initialised 2-layer Whisper saved in transformers format (tokenizer from the bundled model)."""
    transformers = pytest.importorskip("transformers")
    torch = pytest.importorskip("torch")
    tokenizer = transformers.WhisperTokenizerFast(tokenizer_file=str(bundled_model_dir / "tokenizer.json"))
    torch.manual_seed(0)
    config = transformers.WhisperConfig(
        vocab_size=len(tokenizer),
        d_model=16,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=32,
        decoder_ffn_dim=32,
        max_target_positions=32,
        decoder_start_token_id=tokenizer.convert_tokens_to_ids("<|startoftranscript|>"),
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.eos_token_id,
        bos_token_id=tokenizer.eos_token_id,
    )
    model = transformers.WhisperForConditionalGeneration(config)
    model.generation_config.max_length = 8
    directory = tmp_path_factory.mktemp("tiny_whisper")
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    transformers.WhisperFeatureExtractor().save_pretrained(directory)
    return directory


@pytest.mark.slow
def test_transformers_pipeline_backend_loads_a_local_path(tiny_random_whisper_dir, speech_24k):
    asr = TransformersASR(tiny_random_whisper_dir)
    assert asr.sampling_rate == 16000
    text = asr.transcribe(*speech_24k)  # random weights: any string, but the full path runs
    assert isinstance(text, str)
