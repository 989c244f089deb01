"""The red-flag list (data/triage/red_flags.yml) as plain values.

One reader for everything that needs the list: the pattern gate (which flags
exist), the situation (a flag only seen in pregnancy says she is pregnant),
the urgency policy (a flag that is 112 at once) and the tests that check every
text naming the flags. The file itself says what each field means.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from assistant.text.language import SUPPORTED_LANGUAGES
from knowledge.referral_answers import POSTPARTUM, STAGES

RED_FLAG_LIST = Path(__file__).resolve().parents[2] / "data/triage/red_flags.yml"
LANGUAGES = SUPPORTED_LANGUAGES


@dataclass(frozen=True)
class RedFlag:
    """One sign, the stages it is a red flag in, and its words."""

    id: str
    call_112: bool
    stages: tuple[str, ...]
    words: dict[str, str]  # language -> the words the texts use
    postpartum_words: dict[str, str]  # language -> the words after the birth
    says_pregnant: bool = False  # naming it says she is pregnant

    def wording(self, language: str, stage: str | None = None) -> str:
        """The words for the sign in ``language``, for her ``stage`` if it differs."""
        if stage == POSTPARTUM and language in self.postpartum_words:
            return self.postpartum_words[language]
        return self.words[language]


def _flag(entry: dict[str, Any]) -> RedFlag:
    stages = tuple(entry["stages"])
    unknown = set(stages) - set(STAGES)
    if unknown or not stages:
        raise ValueError(f"red flag {entry['id']}: stages {stages}")
    return RedFlag(
        id=str(entry["id"]),
        call_112=bool(entry.get("call_112", False)),
        stages=stages,
        words={language: str(entry[language]) for language in LANGUAGES},
        postpartum_words={
            language: str(text)
            for language, text in (entry.get(POSTPARTUM) or {}).items()
        },
        says_pregnant=bool(entry.get("says_pregnant", False)),
    )


@cache
def red_flag_list() -> tuple[RedFlag, ...]:
    """Every red flag, in the order the texts name them."""
    entries = yaml.safe_load(RED_FLAG_LIST.read_text("utf-8"))["red_flags"]
    return tuple(_flag(entry) for entry in entries)


def flags_for_stage(stage: str | None) -> tuple[RedFlag, ...]:
    """The flags that fit her stage; every flag when the stage is not known."""
    flags = red_flag_list()
    if stage is None:
        return flags
    return tuple(flag for flag in flags if stage in flag.stages)


def calls_112(flag_ids: list[str] | tuple[str, ...] | set[str]) -> bool:
    """Whether any of these flags is 112 at once."""
    emergency = {flag.id for flag in red_flag_list() if flag.call_112}
    return bool(emergency & set(flag_ids))


def pregnancy_only_flags() -> frozenset[str]:
    """The flags whose naming says she is pregnant (``says_pregnant``)."""
    return frozenset(flag.id for flag in red_flag_list() if flag.says_pregnant)
