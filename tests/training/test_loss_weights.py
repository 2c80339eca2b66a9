import pytest
import torch

from xy_tokenizer.training.losses import LossWeights, combine_losses


def test_names_and_presets():
    assert set(LossWeights().as_dict()) == {"loss/mel", "loss/adv", "loss/fm", "loss/asr", "vq/commitment"}
    stage_2 = LossWeights.post_training()
    assert (stage_2["loss/mel"], stage_2["loss/fm"], stage_2["loss/adv"], stage_2["loss/asr"]) == (45.0, 2.0, 1.0, 0.0)
    assert LossWeights.pre_training()["loss/adv"] == 0.0


def test_weighted_total_and_logs():
    losses = {"loss/mel": torch.tensor(2.0), "loss/fm": torch.tensor(3.0), "vq/commitment": torch.tensor(0.5)}
    total, logs = combine_losses(losses, LossWeights(lambda_mel=15.0, lambda_fm=2.0, lambda_commitment=1.0))
    assert total.item() == pytest.approx(15 * 2.0 + 2 * 3.0 + 0.5)
    assert logs == {"loss/mel": 2.0, "loss/fm": 3.0, "vq/commitment": 0.5, "loss/total": pytest.approx(36.5)}
    assert all(isinstance(value, float) for value in logs.values())


def test_zero_weight_is_logged_without_grad():
    weights = LossWeights(lambda_mel=1.0, lambda_asr=0.0)
    x = torch.randn(4, requires_grad=True)
    with weights.grad_context("loss/mel"):
        mel = (x**2).mean()
    with weights.grad_context("loss/asr"):
        asr = (x**3).mean()
    assert mel.requires_grad and not asr.requires_grad
    total, logs = combine_losses({"loss/mel": mel, "loss/asr": asr}, weights)
    assert logs["loss/asr"] == pytest.approx(asr.item())
    total.backward()
    torch.testing.assert_close(x.grad, 2 * x.detach() / 4)


def test_zero_weight_computed_with_grad_still_stays_out_of_the_graph():
    x = torch.randn(3, requires_grad=True)
    total, logs = combine_losses({"loss/mel": x.sum(), "loss/adv": (10 * x).sum()}, {"loss/mel": 1.0, "loss/adv": 0.0})
    total.backward()
    torch.testing.assert_close(x.grad, torch.ones(3))
    assert logs["loss/adv"] == pytest.approx(10 * x.sum().item(), rel=1e-5)


def test_all_zero_weights_give_a_zero_total():
    total, logs = combine_losses({"loss/adv": torch.tensor(4.0)}, {"loss/adv": 0.0})
    assert total.item() == 0.0 and logs == {"loss/adv": 4.0, "loss/total": 0.0}


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match=">= 0"):
        LossWeights(lambda_fm=-1.0)
    with pytest.raises(ValueError, match="No weight"):
        combine_losses({"loss/unknown": torch.tensor(1.0)}, LossWeights())
    with pytest.raises(ValueError, match="scalar"):
        combine_losses({"loss/mel": torch.ones(2)}, LossWeights())
    with pytest.raises(ValueError, match="at least one"):
        combine_losses({}, LossWeights())
    with pytest.raises(ValueError, match="No weight"):
        LossWeights().grad_context("loss/typo")
