"""Triage figures from predicted labels (evaluation/triage.py)."""

from evaluation.triage import TriageItem, triage_checks, triage_figures, triage_items

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


SOUNDS_URGENT_ITEMS = [
    TriageItem("ordinary_leakage", "da", "tisser lidt når jeg nyser"),
    TriageItem("ordinary_leakage", "da", "lækker når jeg hoster"),
    TriageItem("postnatal_bleeding", "da", "fødte for 2 uger siden, bløder stadig"),
    TriageItem("planners", "da", "vi prøver at blive gravide, ondt i lænden"),
    TriageItem("denial_then_pain", "da", "ingen blødning, men bækkenet gør ondt"),
    TriageItem("denial_then_pain", "da", "nej, men lysken jager"),
    TriageItem("denial_then_pain", "da", "ingen feber, men ondt i halebenet"),
]


def test_false_urgent_per_group_that_only_sounds_urgent_and_denial_then_pain():
    predicted = ["urgent", "faq", "faq", "faq", "report_pain", "deny", "urgent"]
    f = triage_figures(SOUNDS_URGENT_ITEMS, predicted, "da")
    assert f.sounds_urgent == {
        "ordinary_leakage": (2, 0.5),
        "postnatal_bleeding": (1, 0.0),
        "planners": (1, 0.0),
    }
    assert f.denial_then_pain == 3
    assert f.denial_then_pain_to_referral == 1 / 3
    assert f.denial_then_pain_urgent == 1 / 3
    checks = triage_checks({"da": f})
    assert [met for _, _, met in checks[3:]] == [False, True, True, False]
    assert "ordinary urine leakage" in checks[3][0]
    assert checks[3][1] == "50.0 % of 2"


def test_the_new_groups_are_read_from_the_held_out_set_and_are_optional():
    triage = {
        "red_flags": {"seizures": {"en": ["she had a fit"]}},
        "negated": {"en": ["no"]},
        "symptom_reports": {"en": ["help"]},
        "ordinary_pain": {"en": ["sore"]},
        "planners": {"en": ["ttc, sore back"]},
    }
    items = triage_items(triage)
    assert [item.section for item in items] == [
        "red_flags",
        "negated",
        "symptom_reports",
        "ordinary_pain",
        "planners",
    ]
    f = triage_figures(items, ["urgent", "deny", "report_pain", "faq", "faq"], "en")
    assert f.sounds_urgent == {"planners": (1, 0.0)}
    assert f.denial_then_pain == 0
    assert len(triage_checks({"en": f})) == 4  # no denial-then-pain check
