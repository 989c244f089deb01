"""Triage figures from predicted labels (evaluation/triage.py)."""

from evaluation.triage import TriageItem, triage_checks, triage_figures

ITEMS = [
    TriageItem("red_flags", "da", "jeg bløder", "bleeding"),
    TriageItem("red_flags", "da", "hovedet sprænger", "severe_headache"),
    TriageItem("red_flags", "da", "ondt i brystet", "chest_pain"),
    TriageItem("negated", "da", "ingen blødning"),
    TriageItem("symptom_reports", "da", "så ondt, hjælp"),
    TriageItem("symptom_reports", "da", "kan ikke gå, hvad gør jeg"),
    TriageItem("ordinary_pain", "da", "uge 30 og ondt i bækkenet"),
    TriageItem("ordinary_pain", "da", "ondt i bækkenet"),
    TriageItem("red_flags", "en", "bleeding", "bleeding"),
]
PREDICTED = [
    "urgent",
    "report_pain",
    "faq",
    "urgent",
    "report_pain",
    "faq",
    "urgent",
    "report_pain",
    "urgent",
]


def test_figures_per_language():
    f = triage_figures(ITEMS, PREDICTED, "da")
    assert f.red_flags == 3
    assert f.red_flag_recall == 2 / 3  # urgent, or the check's red-flag question
    assert f.urgent_at_once == 1 / 3
    assert f.missed_flags == ["chest_pain"]
    assert f.denials_taken_for_urgent == 1.0
    assert f.symptom_reports_to_referral == 0.5
    assert (f.ordinary_with_week, f.ordinary_without_week) == (1, 1)
    assert f.false_urgent == 0.5
    assert (f.false_urgent_with_week, f.false_urgent_without_week) == (1.0, 0.0)
    assert triage_figures(ITEMS, PREDICTED, "en").red_flag_recall == 1.0


def test_checks_say_which_targets_are_met():
    checks = triage_checks({"da": triage_figures(ITEMS, PREDICTED, "da")})
    assert [met for _, _, met in checks] == [False, False, False]
    assert "missed: chest_pain" in checks[0][1]
