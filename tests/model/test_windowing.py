"""Long audio: windows of at most one `max_audio_seconds` run as one batch; both windowing schemes."""

import pytest
import torch
from helpers import make_tiny_model, pad_batch, random_speechlike

from xy_tokenizer.modeling_xy_tokenizer import plan_windows

SPC = 1280


@pytest.fixture(scope="module")
def model():
    return make_tiny_model()  # windows of 25 code frames (2 s)


@pytest.fixture(scope="module")
def long_clips():
    return [random_speechlike(n, 10 + i) for i, n in enumerate([83 * SPC + 700, 40 * SPC + 3, 12 * SPC])]


def test_plan_covers_every_frame_once():
    """Every frame is kept by exactly one window, which sees it; full windows really are full."""
    for left, right, full in [(5, 5, True), (0, 8, False), (3, 0, False)]:
        for frames in [1, 24, 25, 26, 49, 50, 51, 137]:
            windows = plan_windows([frames], 25, left, right, full)
            kept = [f for w in windows for f in range(w.keep_start, w.keep_stop)]
            assert kept == list(range(frames))
            for w in windows:
                assert 0 <= w.start <= w.keep_start < w.keep_stop <= w.stop <= frames
                assert w.stop - w.start <= 25
                if full:
                    assert w.stop - w.start == min(frames, 25)


def test_plan_refuses_contexts_without_kept_frames():
    with pytest.raises(ValueError, match="no frame"):
        plan_windows([100], 25, 13, 12, True)


@torch.no_grad()
def test_original_windowing_reproduces_window_by_window_encoding(model, long_clips):
    """'original' = encode each window [k·keep, k·keep + window) padded to the window, keep the first `keep`."""
    clip = long_clips[0]
    window, keep = model.config.max_window_samples, 25 - model.config.original_window_overlap_frames
    codes = model.encode(clip[None, None], windowing="original").audio_codes[0]
    expected = []
    for start in range(0, len(clip) // SPC, keep):
        segment = clip[start * SPC : start * SPC + window]
        expected.append(model.encode(segment[None, None], pad_to_window=True).audio_codes[0, :, :keep])
    expected = torch.cat(expected, dim=-1)[:, : len(clip) // SPC]
    assert torch.equal(codes, expected)


@torch.no_grad()
def test_batched_windows_equal_one_window_at_a_time(model, long_clips):
    values, mask = pad_batch(long_clips)
    for windowing in ("context", "original"):
        together = model.encode(values, mask, windowing=windowing)
        one_by_one = model.encode(values, mask, windowing=windowing, window_batch_size=1)
        assert torch.equal(together.audio_codes, one_by_one.audio_codes)
        assert together.audio_codes_mask.sum(-1).tolist() == [len(c) // SPC for c in long_clips]
        audio = model.decode(together.audio_codes, together.audio_codes_mask, windowing=windowing)
        audio_single = model.decode(together.audio_codes, together.audio_codes_mask, windowing=windowing, window_batch_size=1)
        torch.testing.assert_close(audio.audio_values, audio_single.audio_values, atol=1e-6, rtol=0)
        assert audio.padding_mask.sum(-1).tolist() == [(len(c) // SPC) * SPC for c in long_clips]


@torch.no_grad()
def test_long_item_in_batch_equals_alone(model, long_clips):
    values, mask = pad_batch(long_clips)
    batched = model.encode(values, mask)
    for row, clip in enumerate(long_clips):
        alone = model.encode(clip[None, None]).audio_codes[0]
        assert torch.equal(batched.audio_codes[row, :, : alone.shape[-1]], alone)


@torch.no_grad()
def test_context_windows_see_both_sides(model, long_clips):
    """A frame in the middle of a long clip must not depend on audio more than one window away,
    and the default windowing must differ from the right-context-only original."""
    clip = long_clips[0]
    codes = model.encode(clip[None, None]).audio_codes[0]
    changed = clip.clone()
    changed[-30 * SPC :] += 0.05 * torch.randn(30 * SPC)  # far to the right of frames 0…40
    assert torch.equal(model.encode(changed[None, None]).audio_codes[0, :, :40], codes[:, :40])
    original = model.encode(clip[None, None], windowing="original").audio_codes[0]
    assert not torch.equal(original, codes)


def test_unknown_windowing_is_refused(model, long_clips):
    with pytest.raises(ValueError, match="windowing"):
        model.encode(long_clips[2][None, None], windowing="sliding")


def test_cpu_passes_respect_the_frame_budget(model):
    lengths = [25, 25, 25, 10, 9, 8, 3, 1]
    model.config.cpu_window_batch_frames = 50
    try:
        groups = model._window_batches(lengths, None)
    finally:
        model.config.cpu_window_batch_frames = 375
    assert sorted(i for g in groups for i in g) == list(range(len(lengths)))
    for group in groups:
        assert len(group) == 1 or len(group) * max(lengths[i] for i in group) <= 50
    assert [len(g) for g in groups] == [2, 2, 4]  # longest first; short windows share a pass
    assert model._window_batches(lengths, 3) == [[0, 1, 2], [3, 4, 5], [6, 7]]
    with pytest.raises(ValueError, match="window_batch_size"):
        model._window_batches(lengths, 0)
