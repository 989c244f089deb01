"""Text split into sentences: the article's and the answers' alike.

A sentence ends at ".", "!" or "?" (a closing quote or bracket may follow)
when the next word starts with a capital letter, a digit or a quote; so the
ordinals "2. og 3. graviditet" and the abbreviations "bl.a.", "ca. 2 mm",
"Evt. ved" and "f.eks." never end one. Used to number the source article
(``scripts/article_sentences.py``) and to match each sentence of a FAQ answer
with its entry in the source map (``assistant/text/article_sources.py``).
"""

from __future__ import annotations

import re

# Abbreviations that end in a full stop and go on with a capital letter
# ("f.eks. Kegel", "Evt. ved" starts a sentence but "evt." never ends one).
ABBREVIATIONS = frozenset(
    {
        "f.eks",
        "fx",
        "bl.a",
        "ca",
        "evt",
        "dvs",
        "mht",
        "pga",
        "jf",
        "nr",
        "m.m",
        "vha",
        "ifh",
    }
)
# A possible end: punctuation, an optional closing quote or bracket, space,
# then what comes next.
_END = re.compile(r"([.!?])([\"”“')]*)\s+(?=\S)")
_STARTS_A_SENTENCE = re.compile(r"[A-ZÆØÅ\"“”\d*]")
_WORD_BEFORE = re.compile(r"(\S+)$")


def _ends_here(mark: str, before: str, after: str) -> bool:
    """Whether ``mark`` (".", "!" or "?") between ``before`` and ``after`` ends one."""
    if not _STARTS_A_SENTENCE.match(after):
        return False  # "2. og 3. graviditet", "taget!) – meget", "ca. 2 mm" go on
    if mark != ".":
        return True
    word = _WORD_BEFORE.search(before)
    token = (word.group(1) if word else "").lower().rstrip(".").lstrip('("“')
    return token not in ABBREVIATIONS


def split_paragraph(paragraph: str) -> list[str]:
    """A paragraph's sentences, in order, spaces made single."""
    text = re.sub(r"\s+", " ", paragraph).strip()
    sentences: list[str] = []
    start = 0
    for match in _END.finditer(text):
        end = match.end(2)
        before, after = text[: match.start(1)], text[match.end() :]
        if not _ends_here(match.group(1), before, after):
            continue
        sentences.append(text[start:end].strip())
        start = match.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences
