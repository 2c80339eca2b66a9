"""Reading audio cells without torchcodec/ffmpeg: every accepted cell type, and the clear errors."""

import datasets
import numpy as np
import pytest
from dataset_builders import CLIP_16K, CLIP_24K, flac_bytes, read_flac

from xy_tokenizer.audio_io import load_audio, resample
from xy_tokenizer.data.audio_cells import load_clip, read_audio_cell, stored_integer_type, undecoded_audio_column


def test_file_cells_decode_with_soundfile_and_resample():
    reference = load_audio(CLIP_24K, 16000)
    raw = CLIP_24K.read_bytes()
    for cell in ({"bytes": raw, "path": None}, {"bytes": None, "path": str(CLIP_24K)}, str(CLIP_24K), CLIP_24K, raw):
        np.testing.assert_array_equal(load_clip(cell, 0, 16000), reference)


def test_array_cells_keep_their_own_rate():
    audio = load_audio(CLIP_24K, 24000)
    clip = load_clip({"array": audio, "sampling_rate": np.asarray(24000)}, 0, 16000)
    np.testing.assert_array_equal(clip, resample(audio, 24000, 16000))
    assert clip.dtype == np.float32 and len(clip) == round(len(audio) * 2 / 3)


def test_raw_arrays_need_sampling_rate():
    audio = load_audio(CLIP_16K, 16000)
    np.testing.assert_array_equal(load_clip(audio, 0, 16000, sampling_rate=16000), audio)
    with pytest.raises(ValueError, match="Row 5: .*pass sampling_rate="):
        load_clip(audio, 5, 16000)


def test_conflicting_rates_are_refused():
    with pytest.raises(ValueError, match="Row 2: the cell says 24000 Hz but sampling_rate=16000"):
        read_audio_cell({"array": np.zeros(100), "sampling_rate": 24000}, 2, sampling_rate=16000)


def test_integer_pcm_is_scaled():
    pcm = np.array([0, 16384, -32768, 32767], dtype=np.int16)
    audio, rate = read_audio_cell(pcm, 0, sampling_rate=8000)
    np.testing.assert_allclose(audio, pcm / 32768.0)
    assert rate == 8000


@pytest.mark.parametrize("layout", ["channels_first", "channels_last", "file"])
def test_stereo_is_averaged_to_mono(layout):
    left, right = np.linspace(-0.5, 0.5, 4000, dtype=np.float32), np.full(4000, 0.25, np.float32)
    if layout == "file":
        cell = {"bytes": flac_bytes(np.stack([left, right], 1), 16000), "path": None}
        left, right = read_flac(cell["bytes"]).T
    else:
        stereo = np.stack([left, right]) if layout == "channels_first" else np.stack([left, right], 1)
        cell = {"array": stereo, "sampling_rate": 16000}
    np.testing.assert_allclose(load_clip(cell, 0, 16000), (left + right) / 2, atol=1e-6)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (None, "Row 3: the audio cell is empty"),
        ({"array": np.zeros(0, np.float32), "sampling_rate": 16000}, "Row 3: the audio clip is empty"),
        ({"array": np.array([0.0, np.nan]), "sampling_rate": 16000}, "Row 3: .*NaN"),
        ({"array": np.zeros(10)}, "Row 3: .*needs 'sampling_rate'"),
        ({"bytes": None, "path": None}, "Row 3: an audio cell needs"),
        ({"bytes": b"not audio", "path": None}, "Row 3: soundfile cannot decode"),
        ({"array": np.zeros((2, 3, 4)), "sampling_rate": 16000}, "Row 3: expected mono"),
    ],
)
def test_bad_cells_name_the_row(cell, message):
    with pytest.raises(ValueError, match=message):
        load_clip(cell, 3, 16000, sampling_rate=None)


def test_text_samples_are_a_type_error():
    with pytest.raises(TypeError, match="Row 0: .*dtype"):
        read_audio_cell(np.array([True, False]), 0, sampling_rate=16000)


def test_audio_feature_is_cast_to_undecoded_and_reported():
    dataset = datasets.Dataset.from_dict({"audio": [str(CLIP_16K)]}).cast_column(
        "audio", datasets.Audio(sampling_rate=16000)
    )
    prepared, original = undecoded_audio_column(dataset, "audio")
    assert original == datasets.Audio(sampling_rate=16000)
    assert prepared.features["audio"].decode is False
    assert prepared[0]["audio"] == {"bytes": None, "path": str(CLIP_16K)}
    plain = datasets.Dataset.from_dict({"wave": [[0.0, 1.0]]})
    assert undecoded_audio_column(plain, "wave") == (plain, None)


def test_missing_column_lists_the_columns():
    dataset = datasets.Dataset.from_dict({"speech": [str(CLIP_16K)], "text": ["hi"]})
    with pytest.raises(
        ValueError, match=r"Audio column 'audio' not found; the dataset has columns \['speech', 'text'\]"
    ):
        undecoded_audio_column(dataset, "audio")


def test_stored_integer_type_sets_the_pcm_scale():
    assert stored_integer_type(datasets.List(datasets.Value("int16"))) == "int16"
    assert (
        stored_integer_type({"array": datasets.List(datasets.Value("int32")), "sampling_rate": datasets.Value("int64")})
        == "int32"
    )
    assert stored_integer_type(datasets.List(datasets.Value("float32"))) is None
    assert stored_integer_type(datasets.Audio()) is None
    widened = np.array([16384, -32768], dtype=np.int64)  # what the numpy format gives for int16 storage
    np.testing.assert_allclose(read_audio_cell(widened, 0, 16000, integer_type="int16")[0], [0.5, -1.0])
    with pytest.raises(TypeError, match="Row 0: integer samples of type int64 have no PCM scale"):
        read_audio_cell(widened, 0, 16000)
