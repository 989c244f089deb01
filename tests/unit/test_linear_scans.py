"""The negation and red-flag scans read a message in time linear in its length.

Each sign used to re-read the whole text before it (its clause), so a
message of 60,000 characters of "ikke blødning. " held the server 13 s, on
its event loop. These tests count what the regular expressions are given to
read (no clock), and compare 20,000 with 200,000 characters as a ratio.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest

from assistant.text import negation
from assistant.text.red_flags import read_red_flags
from assistant.text.symptom_reports import is_symptom_report

DENIALS = ["ikke blødning. ", "no bleeding, no fever ", "jeg bløder ikke og "]


def message(unit: str, characters: int) -> str:
    return (unit * (characters // len(unit) + 1))[:characters]


class _Reading:
    """A compiled pattern that counts how many characters it reads.

    A slice passed in counts whole; ``finditer`` counts up to the end of the
    last match taken (it stops there when the caller stops asking), or to
    the end when it runs out; ``match`` as far as it matched.
    """

    def __init__(self, pattern: re.Pattern[str], counter: list[int]) -> None:
        self._pattern = pattern
        self._counter = counter

    def _region(self, text: str, pos: int = 0, endpos: int | None = None) -> int:
        return (len(text) if endpos is None else min(endpos, len(text))) - pos

    def finditer(self, text: str, *region: int) -> Iterator[re.Match[str]]:
        last = region[0] if region else 0
        for match in self._pattern.finditer(text, *region):
            self._counter[0] += match.end() - last
            last = match.end()
            yield match
        self._counter[0] += self._region(text, last, *region[1:])

    def match(self, text: str, *region: int) -> re.Match[str] | None:
        found = self._pattern.match(text, *region)
        start = region[0] if region else 0
        self._counter[0] += (found.end() - start if found else 0) + 1
        return found

    def __getattr__(self, name: str) -> Any:  # search, findall: the whole region
        method = getattr(self._pattern, name)

        def reading(text: str, *region: int) -> Any:
            self._counter[0] += self._region(text, *region)
            return method(text, *region)

        return reading


def characters_read(monkeypatch, text: str) -> int:
    """How many characters the negation rule's patterns read for every word."""
    counter = [0]
    for name in ("_WORD", "_CLAUSE_END", "_CLAUSE_AFTER_END", "_ANSWERED_NO"):
        monkeypatch.setattr(negation, name, _Reading(getattr(negation, name), counter))
    for match in re.finditer(r"\w+", text):  # as if every word were a sign
        negation.is_negated(text, match.span())
    monkeypatch.undo()
    return counter[0]


@pytest.mark.parametrize("unit", DENIALS)
def test_judging_every_word_reads_a_bounded_number_of_characters_each(
    monkeypatch, unit
):
    small = characters_read(monkeypatch, message(unit, 2_000))
    large = characters_read(monkeypatch, message(unit, 20_000))
    # linear: 10 times the text, about 10 times the reading (quadratic: 100)
    assert large <= 11 * small, (small, large)
    assert large <= 400 * 20_000  # a few hundred characters per word, no more


def test_a_long_word_before_the_sign_still_denies_it_and_stays_bounded(monkeypatch):
    text = "ingen " + "x" * 5_000 + " blødning"
    span = (text.index("blødning"), len(text))
    assert negation.is_negated(text, span)  # "ingen" is 2 words back
    short = "ingen blødning, " * 2_000 + text
    assert characters_read(monkeypatch, short) < 200 * len(short)


def _seconds(function, text: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        function(text)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("unit", DENIALS)
@pytest.mark.parametrize("scan", [read_red_flags, is_symptom_report])
def test_ten_times_the_text_takes_about_ten_times_as_long(scan, unit):
    small = _seconds(scan, message(unit, 20_000))
    large = _seconds(scan, message(unit, 200_000))
    # linear: about 10; quadratic was about 100. Generous for a shared machine.
    assert large < 30 * small + 0.05, (small, large)


def test_the_long_denial_is_still_read_as_a_denial():
    reading = read_red_flags(message("ikke blødning. ", 200_000))
    assert reading.affirmed == [] and reading.negated == ["bleeding"]
