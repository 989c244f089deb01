"""Quality figures computed from tiny fixed inputs."""

import pytest

from evaluation.metrics import labelled_examples, mistakes, predicted_label, quality
from evaluation.report import target_checks


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


def test_label_scores_and_macro_f1_on_a_small_fixed_set():
    from evaluation.metrics import label_scores, macro_f1

    pairs = [("a", "a"), ("a", "b"), ("b", "b"), ("c", "b")]
    scores = label_scores(pairs)
    assert scores["a"].precision == 1.0 and scores["a"].recall == 0.5
    assert scores["b"].precision == pytest.approx(1 / 3) and scores["b"].recall == 1.0
    assert scores["c"].f1 == 0.0 and scores["c"].support == 1
    expected = (2 * 0.5 / 1.5 + 2 * (1 / 3) / (4 / 3) + 0.0) / 3
    assert macro_f1(pairs) == pytest.approx(expected)


def test_wrong_language_counts_only_replies_that_show_another_language():
    from evaluation.metrics import wrong_language_rate

    languages = [("da", "da"), ("da", "en"), ("en", None), ("en", "en")]
    assert wrong_language_rate(languages) == pytest.approx(1 / 4)
    # a message that shows no language is left out, whatever the reply
    assert wrong_language_rate([*languages, (None, "da")]) == pytest.approx(1 / 4)
    assert wrong_language_rate([]) == 0.0


def test_confusion_counts_gold_by_predicted():
    from evaluation.metrics import confusion

    pairs = [("a", "a"), ("a", "b"), ("b", "b"), ("x", "a")]
    assert confusion(pairs, ["a", "b"]) == [[1, 1], [0, 1]]


BEATS = "chosen beats the baseline (FAQ topic accuracy)"


def _held_and_cv(chosen_da, baseline_da, replies_da):
    held = {
        "pairs": {"da": {"chosen": chosen_da, "baseline": baseline_da}},
        "reply_languages": {"da": replies_da},
    }
    cv = {
        "pairs": {"chosen": chosen_da, "baseline": baseline_da},
        "languages": ["da"] * len(chosen_da),
    }
    return held, cv


def test_quality_targets_are_met_by_a_perfect_pipeline_above_the_baseline():
    gold = [("faq/a", "faq/a")] * 19 + [("out_of_scope", "nlu_fallback")]
    baseline = [("faq/a", "faq/b")] + [("faq/a", "faq/a")] * 18
    baseline += [("out_of_scope", "faq/a")]
    held, cv = _held_and_cv(gold, baseline, [("da", "da")] * 20)
    checks = target_checks(held, cv)
    assert [met for _, _, met in checks] == [True] * len(checks)
    assert (
        "Danish held-out: FAQ topic accuracy ≥ 95 %",
        "100.0 %",
        True,
    ) in checks
    assert any(
        t.startswith("Danish cross-validation: chosen beats") for t, _, _ in checks
    )


def test_quality_targets_say_which_are_missed():
    chosen = [("faq/a", "faq/a")] * 9 + [("faq/a", "nlu_fallback")]
    chosen += [("out_of_scope", "faq/a")]
    held, cv = _held_and_cv(chosen, chosen, [("da", "en"), ("da", "da")])
    missed = {
        target: measured for target, measured, met in target_checks(held, cv) if not met
    }
    assert missed == {
        "Danish held-out: FAQ topic accuracy ≥ 95 %": "90.0 %",
        "Danish held-out: out-of-scope rejected ≥ 90 %": "0.0 %",
        "Danish held-out: false fallback ≤ 5 %": "10.0 %",
        "Danish held-out: wrong-language replies 0": "50.0 %",
        f"Danish held-out: {BEATS}": "90.0 % vs 90.0 %",
        f"Danish cross-validation: {BEATS}": "90.0 % vs 90.0 %",
    }


def test_cross_validation_pairs_are_split_by_the_language_of_each_message():
    from evaluation.report import cross_validation_by_language

    cv = {
        "pairs": {
            "chosen": [("a", "a"), ("b", "c"), ("d", "d")],
            "baseline": [("a", "b"), ("b", "b"), ("d", "d")],
        },
        "languages": ["da", None, "da"],
    }
    assert cross_validation_by_language(cv) == {
        "da": {
            "chosen": [("a", "a"), ("d", "d")],
            "baseline": [("a", "b"), ("d", "d")],
        },
        None: {"chosen": [("b", "c")], "baseline": [("b", "b")]},
    }
