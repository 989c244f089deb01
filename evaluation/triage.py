"""Triage figures from the held-out triage set (tests/heldout/triage.yml).

The set was written blind (without seeing the patterns or the training data):
messages naming each red flag, messages that only deny red flags, reports of
severe or worsening pain with a request for help, and ordinary pain reports.
The figures count the label the bot acts on for each message:

- red-flag recall: red-flag messages that get the urgent advice at once, or
  at once the referral check, whose first question lists every red flag with
  a yes button (no flag missed); and, apart, those that get the urgent advice
  at once;
- denied flags taken for urgent: denials that still got the urgent advice;
- symptom reports that start the referral check (``report_pain`` or
  ``ask_referral``);
- false urgent: ordinary pain reports (with or without a pregnancy week) that
  got the urgent advice;
- false urgent on what only sounds like a red flag, per group: ordinary urine
  leakage (coughing, sneezing, laughing), normal bleeding within six weeks of
  the birth, and women planning a pregnancy telling of pain or ordinary things;
- a denial of the red flags followed by her own pain ("no bleeding or fever,
  but my pelvis hurts when I climb stairs"): how many start the referral
  check, and how many get the urgent advice instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from knowledge import intents

URGENT = intents.URGENT
STARTS_REFERRAL_CHECK = frozenset({intents.REPORT_PAIN, intents.ASK_REFERRAL})
RED_FLAG_RECALL_TARGET = 1.0
SYMPTOM_REPORT_TARGET = 0.90
FALSE_URGENT_TARGET = 0.02
DENIAL_THEN_PAIN_TARGET = 0.90  # like the symptom reports: a rule, then the classifier
# held-out groups that sound urgent and are not: section -> what the report calls it
SOUNDS_URGENT = {
    "ordinary_leakage": "ordinary urine leakage",
    "postnatal_bleeding": "normal bleeding after the birth",
    "planners": "planning a pregnancy",
}
_WEEK = re.compile(r"\d|\buge\b|\bweeks?\b|\bwks?\b", re.IGNORECASE)


@dataclass(frozen=True)
class TriageItem:
    """One held-out message: its section, its red flag (if any) and language."""

    section: str  # red_flags, negated, symptom_reports, ordinary_pain, …
    language: str
    text: str
    flag: str | None = None


def triage_items(triage_yaml: dict) -> list[TriageItem]:
    """The messages of the held-out triage set, in file order."""
    items = [
        TriageItem("red_flags", language, text, flag)
        for flag, languages in triage_yaml["red_flags"].items()
        for language, texts in languages.items()
        for text in texts
    ]
    for section in (
        "negated",
        "symptom_reports",
        "ordinary_pain",
        *SOUNDS_URGENT,
        "denial_then_pain",
    ):
        items += [
            TriageItem(section, language, text)
            for language, texts in (triage_yaml.get(section) or {}).items()
            for text in texts
        ]
    return items


def _rate(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


@dataclass(frozen=True)
class TriageFigures:
    """The triage figures for one language."""

    red_flags: int
    red_flag_recall: float  # urgent advice or the red-flag question at once
    urgent_at_once: float = 0.0
    missed_flags: list[str] = field(default_factory=list)  # one entry per miss
    denials: int = 0
    denials_taken_for_urgent: float = 0.0
    symptom_reports: int = 0
    symptom_reports_to_referral: float = 0.0
    ordinary_with_week: int = 0
    ordinary_without_week: int = 0
    false_urgent: float = 0.0
    false_urgent_with_week: float = 0.0
    false_urgent_without_week: float = 0.0
    # SOUNDS_URGENT section -> (messages, share that got the urgent advice)
    sounds_urgent: dict[str, tuple[int, float]] = field(default_factory=dict)
    denial_then_pain: int = 0
    denial_then_pain_to_referral: float = 0.0
    denial_then_pain_urgent: float = 0.0


def triage_figures(
    items: Sequence[TriageItem], predicted: Sequence[str], language: str
) -> TriageFigures:
    """The figures for ``language`` from each item's predicted label."""
    pairs = [
        (item, label)
        for item, label in zip(items, predicted, strict=True)
        if item.language == language
    ]

    def section(name: str) -> list[tuple[TriageItem, str]]:
        return [(item, label) for item, label in pairs if item.section == name]

    red = section("red_flags")
    denials = section("negated")
    reports = section("symptom_reports")
    ordinary = section("ordinary_pain")
    with_week = [(i, label) for i, label in ordinary if _WEEK.search(i.text)]
    without_week = [(i, label) for i, label in ordinary if not _WEEK.search(i.text)]

    def urgent(group: list[tuple[TriageItem, str]]) -> float:
        return _rate(sum(label == URGENT for _, label in group), len(group))

    denial_then_pain = section("denial_then_pain")
    caught = [label == URGENT or label in STARTS_REFERRAL_CHECK for _, label in red]
    return TriageFigures(
        red_flags=len(red),
        red_flag_recall=_rate(sum(caught), len(red)),
        urgent_at_once=urgent(red),
        missed_flags=[
            str(i.flag) for (i, _), hit in zip(red, caught, strict=True) if not hit
        ],
        denials=len(denials),
        denials_taken_for_urgent=urgent(denials),
        symptom_reports=len(reports),
        symptom_reports_to_referral=_rate(
            sum(label in STARTS_REFERRAL_CHECK for _, label in reports), len(reports)
        ),
        ordinary_with_week=len(with_week),
        ordinary_without_week=len(without_week),
        false_urgent=urgent(ordinary),
        false_urgent_with_week=urgent(with_week),
        false_urgent_without_week=urgent(without_week),
        sounds_urgent={
            name: (len(section(name)), urgent(section(name)))
            for name in SOUNDS_URGENT
            if section(name)
        },
        denial_then_pain=len(denial_then_pain),
        denial_then_pain_to_referral=_rate(
            sum(label in STARTS_REFERRAL_CHECK for _, label in denial_then_pain),
            len(denial_then_pain),
        ),
        denial_then_pain_urgent=urgent(denial_then_pain),
    )


def triage_checks(figures: dict[str, TriageFigures]) -> list[tuple[str, str, bool]]:
    """(target, measured, met) for the triage targets, per language."""
    names = {"da": "Danish", "en": "English"}
    checks = []
    for language, f in figures.items():
        name = names.get(language, language)
        missed = f" (missed: {', '.join(f.missed_flags)})" if f.missed_flags else ""
        checks += [
            (
                f"{name} triage: red-flag recall 100 % (urgent advice, or the "
                "red-flag question, at once)",
                f"{100 * f.red_flag_recall:.1f} % of {f.red_flags}{missed}; urgent "
                f"advice at once {100 * f.urgent_at_once:.1f} %",
                f.red_flag_recall >= RED_FLAG_RECALL_TARGET,
            ),
            (
                f"{name} triage: symptom reports that start the referral check "
                f"≥ {100 * SYMPTOM_REPORT_TARGET:.0f} %",
                f"{100 * f.symptom_reports_to_referral:.1f} % of {f.symptom_reports}",
                f.symptom_reports_to_referral >= SYMPTOM_REPORT_TARGET,
            ),
            (
                f"{name} triage: false urgent on ordinary pain reports "
                f"≤ {100 * FALSE_URGENT_TARGET:.0f} %",
                f"{100 * f.false_urgent:.1f} % of "
                f"{f.ordinary_with_week + f.ordinary_without_week}",
                f.false_urgent <= FALSE_URGENT_TARGET,
            ),
        ]
        checks += [
            (
                f"{name} triage: false urgent on {what} "
                f"≤ {100 * FALSE_URGENT_TARGET:.0f} %",
                f"{100 * f.sounds_urgent[group][1]:.1f} % of "
                f"{f.sounds_urgent[group][0]}",
                f.sounds_urgent[group][1] <= FALSE_URGENT_TARGET,
            )
            for group, what in SOUNDS_URGENT.items()
            if group in f.sounds_urgent
        ]
        if f.denial_then_pain:
            checks.append(
                (
                    f"{name} triage: a denial then her own pain starts the referral "
                    f"check ≥ {100 * DENIAL_THEN_PAIN_TARGET:.0f} %",
                    f"{100 * f.denial_then_pain_to_referral:.1f} % of "
                    f"{f.denial_then_pain}; urgent advice "
                    f"{100 * f.denial_then_pain_urgent:.1f} %",
                    f.denial_then_pain_to_referral >= DENIAL_THEN_PAIN_TARGET,
                )
            )
    return checks
