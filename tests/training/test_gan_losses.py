import pytest
import torch

from xy_tokenizer.training.losses import (
    DiscriminatorAdversarialLoss,
    FeatureMatchingLoss,
    GeneratorAdversarialLoss,
)

REAL = torch.tensor([[0.5, 2.0, -1.0]])
FAKE = torch.tensor([[-2.0, 0.0, 0.5]])


@pytest.mark.parametrize(
    "loss_type,discriminator_value,generator_value",
    [
        # hinge: mean(relu(1 - r)) = (0.5 + 0 + 2) / 3, mean(relu(1 + f)) = (0 + 1 + 1.5) / 3; G: (3 + 1 + 0.5) / 3
        ("hinge", 2.5 / 3 + 2.5 / 3, 4.5 / 3),
        # lsgan: mean((1 - r)^2) = (0.25 + 1 + 4) / 3, mean(f^2) = (4 + 0 + 0.25) / 3; G: (9 + 1 + 0.25) / 3
        ("lsgan", 5.25 / 3 + 4.25 / 3, 10.25 / 3),
    ],
)
def test_known_values(loss_type, discriminator_value, generator_value):
    d_loss = DiscriminatorAdversarialLoss(loss_type)([REAL], [FAKE])
    g_loss = GeneratorAdversarialLoss(loss_type)([FAKE])
    assert d_loss.item() == pytest.approx(discriminator_value)
    assert g_loss.item() == pytest.approx(generator_value)


@pytest.mark.parametrize("loss_type", ["hinge", "lsgan"])
def test_reduction_over_sub_discriminators(loss_type):
    real, fake = [REAL, REAL * 2], [FAKE, FAKE - 1]
    for module, args in (
        (DiscriminatorAdversarialLoss, (real, fake)),
        (GeneratorAdversarialLoss, (fake,)),
    ):
        summed = module(loss_type, "sum")(*args)
        averaged = module(loss_type, "mean")(*args)
        assert summed.item() == pytest.approx(2 * averaged.item())


def test_feature_matching():
    real = [[torch.randn(2, 3, 5), torch.randn(2, 4)], [torch.randn(2, 1, 7)]]
    assert FeatureMatchingLoss()(real, [[f.clone() for f in group] for group in real]).item() == 0.0

    fake = [[f + 1.0 for f in group] for group in real]  # every |difference| is 1
    assert FeatureMatchingLoss("sum")(real, fake).item() == pytest.approx(3.0)  # 2 layers + 1 layer
    assert FeatureMatchingLoss("mean")(real, fake).item() == pytest.approx(1.5)

    real_leaf = torch.randn(2, 3, requires_grad=True)
    fake_leaf = torch.randn(2, 3, requires_grad=True)
    FeatureMatchingLoss()([[real_leaf]], [[fake_leaf]]).backward()
    assert real_leaf.grad is None and fake_leaf.grad.abs().sum() > 0


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="loss_type"):
        GeneratorAdversarialLoss("wasserstein")
    with pytest.raises(ValueError, match="reduction"):
        FeatureMatchingLoss("max")
    with pytest.raises(ValueError, match="same"):
        DiscriminatorAdversarialLoss()([REAL], [FAKE, FAKE])
    with pytest.raises(ValueError, match="same"):
        FeatureMatchingLoss()([[REAL]], [])
