"""Quality figures computed from tiny fixed inputs."""

import pytest

from evaluation.metrics import labelled_examples, mistakes, predicted_label, quality


def test_quality_figures_on_a_small_fixed_set():
    pairs = [
        ("faq/recurrence", "faq/recurrence"),
        ("faq/recurrence", "faq/after_birth"),
        ("faq/causes", "nlu_fallback"),
        ("faq/causes", "faq/causes"),
        ("greet", "greet"),
        ("out_of_scope", "out_of_scope"),
        ("out_of_scope", "nlu_fallback"),
        ("out_of_scope", "faq/causes"),
    ]
    q = quality(pairs)
    assert q.examples == 8
    assert q.accuracy == pytest.approx(4 / 8)
    assert q.topic_examples == 4
    assert q.topic_accuracy == pytest.approx(2 / 4)
    assert q.false_fallback_rate == pytest.approx(1 / 5)
    assert q.out_of_scope_examples == 3
    assert q.out_of_scope_rejection == pytest.approx(2 / 3)


def test_quality_of_nothing_is_zero_not_an_error():
    assert quality([]).accuracy == 0.0


def test_mistakes_are_counted_most_frequent_first():
    pairs = [("a", "b"), ("c", "d"), ("c", "d"), ("a", "a")]
    assert list(mistakes(pairs).items()) == [(("c", "d"), 2), (("a", "b"), 1)]


def test_predicted_label_uses_the_full_retrieval_intent_for_faq():
    faq = {"intent": {"name": "faq", "full_retrieval_intent_name": "faq/causes"}}
    assert predicted_label(faq) == "faq/causes"
    assert predicted_label({"intent": {"name": "greet"}}) == "greet"
    assert predicted_label({"intent": None}) == "nlu_fallback"


def test_labelled_examples_reads_rasa_nlu_yaml():
    document = {"nlu": [{"intent": "greet", "examples": "- hej\n- hi there\n\n"}]}
    assert labelled_examples(document) == [("hej", "greet"), ("hi there", "greet")]
