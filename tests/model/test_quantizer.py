"""Residual VQ: straight-through gradients, k-means init in one process, EMA, dead codes, masking."""

import pytest
import torch
from helpers import make_tiny_config

from xy_tokenizer.modeling_xy_tokenizer import XYTokenizerModel, XYTokenizerResidualVectorQuantizer


def make_quantizer(**overrides) -> XYTokenizerResidualVectorQuantizer:
    torch.manual_seed(0)
    return XYTokenizerModel(make_tiny_config(**overrides)).quantizer


def features(batch=3, time=20, seed=0) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(batch, 128, time, generator=generator)  # (batch, 4 · hidden, time)


def test_straight_through_gradient_is_identity():
    quantizer = make_quantizer().train()
    x = features().requires_grad_()
    lengths = torch.tensor([20, 20, 20])
    with torch.no_grad():
        reference_input = x.clone().requires_grad_()
    zq, _, _ = quantizer(x, lengths)
    weights = torch.randn_like(zq)
    (zq * weights).sum().backward()
    # Same gradient as skipping quantization: output_proj(input_proj(x)).
    quantizer.eval()
    (quantizer.output_proj(quantizer.input_proj(reference_input)) * weights).sum().backward()
    torch.testing.assert_close(x.grad, reference_input.grad, atol=1e-5, rtol=1e-4)


def test_kmeans_init_works_in_one_process():
    quantizer = make_quantizer().train()
    assert not bool(quantizer.quantizers[0].inited)
    quantizer(features(), torch.tensor([20, 20, 20]))
    for stage in quantizer.quantizers:
        assert bool(stage.inited)
        assert stage.codebook.abs().sum() > 0, "the original zero-fills codebooks outside torch.distributed"
        assert len(torch.unique(stage.codebook, dim=0)) > stage.codebook_size // 2


def test_eval_mode_and_no_grad_leave_codebooks_alone():
    quantizer = make_quantizer()
    before = {k: v.clone() for k, v in quantizer.state_dict().items()}
    quantizer.eval()(features(), torch.tensor([20, 20, 20]))
    with torch.no_grad():
        quantizer.train()(features(), torch.tensor([20, 20, 20]))
    for key, value in quantizer.state_dict().items():
        assert torch.equal(value, before[key]), key


def test_ema_update_moves_codebook_towards_assigned_vectors():
    quantizer = make_quantizer(kmeans_init=False, dead_code_threshold=0.0).train()
    stage = quantizer.quantizers[0]
    x = features()
    with torch.no_grad():
        latents = quantizer.input_proj(x).transpose(1, 2).reshape(-1, stage.dim)
        stage.embed_avg.copy_(stage.codebook)
        stage.cluster_size.fill_(1.0)
        before = stage.codebook.clone()
        assigned = stage.nearest(latents)
    quantizer(x, torch.tensor([20, 20, 20]))
    used = torch.unique(assigned)
    target = torch.stack([latents[assigned == k].mean(0) for k in used])
    distance_before = (before[used] - target).norm(dim=1)
    distance_after = (stage.codebook[used] - target).norm(dim=1)
    assert bool((distance_after < distance_before).all())


def test_dead_codes_are_reseeded_from_the_batch():
    quantizer = make_quantizer(kmeans_init=False).train()
    stage = quantizer.quantizers[0]
    with torch.no_grad():
        stage.codebook.fill_(1e3)  # far from any input: every code is dead
        stage.codebook[0].zero_()
        stage.embed_avg.copy_(stage.codebook)
        stage.cluster_size.zero_()
    x = features()
    quantizer(x, torch.tensor([20, 20, 20]))
    with torch.no_grad():
        latents = quantizer.input_proj(x).transpose(1, 2).reshape(-1, stage.dim)
    # Every re-seeded code is one of the batch's stage inputs.
    distances = (stage.codebook[:, None, :] - latents[None, :, :]).abs().amax(dim=-1).min(dim=1).values
    assert float(distances.max()) < 1e-5


def test_padded_frames_are_excluded_from_statistics():
    lengths = torch.tensor([20, 12, 7])
    x = features()
    noisy = x.clone()
    for row, length in enumerate(lengths.tolist()):
        noisy[row, :, length:] = 100 * torch.randn_like(noisy[row, :, length:])
    results = []
    for inputs in (x, noisy):
        quantizer = make_quantizer()
        torch.manual_seed(1)
        zq, codes, commitment = quantizer.train()(inputs, lengths)
        results.append((quantizer.state_dict(), codes, commitment))
    for key, value in results[0][0].items():
        assert torch.equal(value, results[1][0][key]), key
    torch.testing.assert_close(results[0][2], results[1][2])
    for row, length in enumerate(lengths.tolist()):
        assert torch.equal(results[0][1][row, :, :length], results[1][1][row, :, :length])
        assert int(results[0][1][row, :, length:].abs().sum()) == 0


def test_quantizer_dropout_uses_fewer_stages_for_some_items():
    quantizer = make_quantizer(quantizer_dropout=1.0).train()
    torch.manual_seed(0)
    _, codes, _ = quantizer(features(batch=16), torch.full((16,), 20))
    stages_used = (codes != 0).any(dim=-1).sum(dim=-1)
    assert int(stages_used.min()) < quantizer.num_quantizers
    quantizer.eval()
    _, codes, _ = quantizer(features(batch=16), torch.full((16,), 20))
    assert bool((codes != 0).any(dim=-1).all())


@pytest.mark.parametrize("num_quantizers", [1, 3])
def test_commitment_loss_is_per_stage_and_finite(num_quantizers):
    quantizer = make_quantizer().train()
    _, codes, commitment = quantizer(features(), torch.tensor([20, 5, 9]), num_quantizers)
    assert codes.shape == (3, num_quantizers, 20)
    assert commitment.shape == (num_quantizers,) and torch.isfinite(commitment).all() and (commitment > 0).all()
