"""Recipes: the shipped YAML files, ``extends``, command-line overrides, errors."""

from pathlib import Path

import pytest

from xy_tokenizer.training.recipe import load_recipe_file, parse_recipe

CONFIGS = Path(__file__).resolve().parents[2] / "configs"


@pytest.mark.parametrize("name", ["stage1.yaml", "stage2.yaml", "stage1_tiny.yaml", "stage2_tiny.yaml"])
def test_shipped_recipes_parse(name):
    recipe = parse_recipe([str(CONFIGS / name)])
    assert recipe.model.stage == (1 if name.startswith("stage1") else 2)
    assert recipe.training.output_dir.startswith("outputs/")


def test_paper_scale_values_and_tiny_overrides():
    paper = parse_recipe([str(CONFIGS / "stage1.yaml")])
    assert paper.training.max_steps == 500000 and paper.model.whisper_name_or_path == "openai/whisper-small"
    assert paper.codec.config_overrides() == {} and paper.weights["loss/adv"] == 0.0
    tiny = parse_recipe([str(CONFIGS / "stage1_tiny.yaml")])
    assert tiny.codec.codec_hidden_size == 64 and tiny.training.lr_scheduler_kwargs == {"min_lr": 2.0e-4}
    assert tiny.weights["loss/mel"] == 15.0  # inherited from stage1.yaml
    stage2 = parse_recipe([str(CONFIGS / "stage2.yaml")])
    assert (
        stage2.training.max_steps == 250000 and stage2.data.text_column is None and stage2.weights["loss/mel"] == 45.0
    )


def test_command_line_overrides_any_field():
    recipe = parse_recipe([
        str(CONFIGS / "stage2_tiny.yaml"), "--max_steps", "7", "--mpd_periods", "2", "5", "--lambda_fm", "0.5",
        "--crop_seconds", "0.8", "--stage2_train_post_rvq_adapter", "false", "--output_dir", "elsewhere",
    ])  # fmt: skip
    assert recipe.training.max_steps == 7 and recipe.discriminator.mpd_periods == [2, 5]
    assert recipe.weights["loss/fm"] == 0.5 and recipe.data.crop_seconds == 0.8
    assert recipe.model.stage2_train_post_rvq_adapter is False and recipe.training.output_dir == "elsewhere"


def test_command_line_null_sets_optional_fields_to_none():
    recipe = parse_recipe([
        str(CONFIGS / "stage2_tiny.yaml"), "--crop_seconds", "null", "--discriminator-start-step=null",
        "--adversarial_start_step", "3", "--report_to", "none",
    ])  # fmt: skip
    assert recipe.data.crop_seconds is None and recipe.training.report_to == []
    assert recipe.training.discriminator_start_step == 3  # None: starts with the adversarial terms
    with pytest.raises(SystemExit):  # a field that cannot be None still refuses it
        parse_recipe([str(CONFIGS / "stage2_tiny.yaml"), "--max_steps", "null"])


def test_extends_chain_and_errors(tmp_path):
    (tmp_path / "base.yaml").write_text("stage: 1\nmax_steps: 3\ndataset_name: csv\n")
    (tmp_path / "child.yaml").write_text("extends: base.yaml\nmax_steps: 5\n")
    assert load_recipe_file(tmp_path / "child.yaml") == {"stage": 1, "max_steps": 5, "dataset_name": "csv"}
    (tmp_path / "typo.yaml").write_text("extends: base.yaml\nmax_stepz: 5\n")
    with pytest.raises(ValueError, match="Unknown keys.*max_stepz"):
        parse_recipe([str(tmp_path / "typo.yaml")])
    (tmp_path / "loop.yaml").write_text("extends: loop.yaml\n")
    with pytest.raises(ValueError, match="extends itself"):
        load_recipe_file(tmp_path / "loop.yaml")
    (tmp_path / "stage2.yaml").write_text("stage: 2\ndataset_name: csv\n")
    with pytest.raises(ValueError, match="stage 2 starts from a stage-1 model"):
        parse_recipe([str(tmp_path / "stage2.yaml")])


def test_every_field_has_printable_help(capsys):
    from xy_tokenizer.train import main

    assert main(["--help"]) == 0
    text = capsys.readouterr().out
    for name in (
        "--llm_adapter_input",
        "--crop_seconds",
        "--discriminator_learning_rate",
        "--lambda_mel",
        "--mpd_periods",
    ):
        assert name in text
