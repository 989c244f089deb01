"""Folds, training data and pipeline variants of `make evaluate`, on tiny inputs."""

from pathlib import Path

import yaml

from evaluation.baseline import predict_baseline, train_baseline
from evaluation.pipelines import nlu_yaml, stratified_folds, without_spacy

ROOT = Path(__file__).resolve().parents[2]


def test_folds_cover_every_example_once_and_spread_each_label():
    examples = [(f"text {i}", "a" if i < 10 else "b") for i in range(15)]
    folds = stratified_folds(examples, 5)
    assert sorted(example for fold in folds for example in fold) == sorted(examples)
    assert [sum(label == "a" for _, label in fold) for fold in folds] == [2] * 5
    assert [len(fold) for fold in folds] == [3] * 5
    assert stratified_folds(examples, 5) == folds  # same seed, same split


def test_training_data_is_rasa_yaml_grouped_by_label():
    document = yaml.safe_load(
        nlu_yaml([("hej", "greet"), ("kommer det igen?", "faq/recurrence")])
    )
    assert document["version"] == "3.1"
    assert document["nlu"] == [
        {"intent": "faq/recurrence", "examples": "- kommer det igen?\n"},
        {"intent": "greet", "examples": "- hej\n"},
    ]


def test_without_spacy_swaps_only_the_tokenizer_of_the_real_config():
    config = (ROOT / "config.yml").read_text()
    variant = without_spacy(config)
    assert "SpacyNLP" in config and "SpacyNLP" not in variant
    assert "SpacyWordTokenizer" not in variant
    assert "- name: WhitespaceTokenizer" in variant
    assert variant.count("- name:") == config.count("- name:") - 1


def test_the_baseline_learns_a_trivial_split():
    texts = ["hej", "hej hej", "hejsa", "farvel", "farvel nu", "vi ses"]
    labels = ["greet", "greet", "greet", "goodbye", "goodbye", "goodbye"]
    model = train_baseline(texts, labels)
    assert predict_baseline(model, ["hej med dig", "farvel og tak"]) == [
        "greet",
        "goodbye",
    ]
