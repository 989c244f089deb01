"""Does every FAQ answer say what its sources say? Rules a maintainer can read.

Every sentence of every FAQ answer (``data/faq/responses.yml``), in Danish and
in English, is checked against the article sentences the source map
(``source/answer_sources.yml``) says it rests on:

- ``map``: the answer has an entry per sentence; each entry cites sentences
  that exist, or gives a known reason for being the assistant's own words.
- ``numbers``: every number in the sentence (2 mm, 3°, 8–9 months, 2004,
  "three bones") is in the sentences it cites.
- ``hedges``: a hedge in a cited sentence ("måske", "hvis", "en del",
  "primært", "de fleste", ...) is kept by the answer sentences that cite it,
  in the answer's language ("perhaps", "if", "quite a few", ...).
- ``opinions``: a sentence citing the author's own view, experience or product
  (the map's ``opinions``) says whose it is ("Ifølge artiklen", "the author").
- ``professions``: a profession is named only where the cited sentences name
  it; the assistant's own advice names only the doctor, the midwife and the
  physiotherapist.
- ``names``: the source is "the article", never a magazine or a blog; a name
  or an initial is written only as the cited sentences write it.
- ``similarity`` (Danish): most of a sentence's words are the cited
  sentences' words (see ``SUPPORT_THRESHOLD``). An English sentence is checked
  by the rules above and through its Danish twin, which has the same entry.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.text.article_sources import (
    FAQ_PREFIX,
    ROOT,
    SourceMap,
    answer_sentences,
)

DANISH, ENGLISH = "da", "en"
FAQ_RESPONSES = ROOT / "data/faq/responses.yml"

# Share, by weight (``rarity``), of a Danish answer sentence's content words
# found in the sentences it cites. Measured on the shipped answers
# (tests/unit/test_provenance.py measures it again on every run): every citing
# sentence scores 0.43 or more, while the same sentences scored against each
# article sentence they do not cite score 0.12 at the 95th percentile and 0.29
# at the 99th. 0.35 lies between: a sentence that cites the wrong place, or
# says much that its sources do not, falls below it.
SUPPORT_THRESHOLD = 0.35
STEM_LETTERS = 5  # Danish inflects at the end: bækkenet, bækkenets -> "bække"

_DANISH_FUNCTION_WORDS = frozenset(
    """
    og i at er det en et til af på med for som de den der har kan man du dig din
    dine dit sig så men om også eller ikke ved fra efter under når hvis mere end
    meget være bliver blevet dem dette disse hvad her jo nu få lidt vil skal
    kun hos via sin sine sit fx bl.a ca deres os vi jeg mig min mit mine
    ifølge artiklen artiklens forfatter godt allerede selv hvor hvordan
    """.split()
)

# A hedge found in a cited sentence (Danish pattern), and how an answer keeps it.
HEDGES: Mapping[str, tuple[str, Mapping[str, str]]] = {
    "måske": (
        r"\bmåske\b",
        {
            DANISH: r"\bmåske\b|\bmuligvis\b",
            ENGLISH: r"\bperhaps\b|\bmaybe\b|\bmight\b",
        },
    ),
    "hvis": (
        r"\bhvis\b",
        {DANISH: r"\bhvis\b|\bnår\b", ENGLISH: r"\bif\b|\bwhen\b|\bonce\b"},
    ),
    "en del": (
        r"\ben del\b",
        {
            DANISH: r"\ben (?:hel )?del\b",
            ENGLISH: r"\bquite a (?:few|bit|lot)\b|\ba good deal\b|\ba fair number\b",
        },
    ),
    "primært": (
        r"\bprimært\b",
        {
            DANISH: r"\bprimært\b|\bhovedsageligt\b",
            ENGLISH: r"\bmainly\b|\bprimarily\b|\bmostly\b",
        },
    ),
    "de fleste": (r"\bde fleste\b", {DANISH: r"\bde fleste\b", ENGLISH: r"\bmost\b"}),
    "næsten altid": (
        r"\bnæsten altid\b",
        {DANISH: r"\bnæsten altid\b", ENGLISH: r"\balmost always\b|\bnearly always\b"},
    ),
    "sjældent": (
        r"\bsjældent\b",
        {DANISH: r"\bsjældent\b", ENGLISH: r"\brarely\b|\bseldom\b"},
    ),
    "generelt": (
        r"\bgenerelt\b",
        {DANISH: r"\bgenerelt\b", ENGLISH: r"\bgenerally\b|\bin general\b"},
    ),
    # "ifh. din vejrtrækning": in relation to her breathing, not in step with it
    "i forhold til": (
        r"\b(?:i forhold til|ifh\.?) (?:din|dine)\b",
        {
            DANISH: r"\bi forhold til\b|\bifh\b",
            ENGLISH: r"\bin relation to\b|\bwith regard to\b",
        },
    ),
}

# Who says it is the article's or the author's view.
ATTRIBUTION = {DANISH: r"\bartikl|\bforfatter", ENGLISH: r"\barticle\b|\bauthor\b"}

# A profession by its Danish name, and its pattern in each language.
PROFESSIONS: Mapping[str, Mapping[str, str]] = {
    "læge": {DANISH: r"\blæge(?:n)?\b", ENGLISH: r"\bdoctor\b|\bGP\b"},
    "jordemoder": {DANISH: r"\bjordemoder(?:en)?\b", ENGLISH: r"\bmidwife\b"},
    "fysioterapeut": {
        DANISH: r"\bfysioterapeut(?:en)?\b",
        ENGLISH: r"\bphysiotherapist\b",
    },
    "træner": {
        DANISH: r"\btræner(?:en)?\b(?! (?:din|dine|min|kernen))",
        ENGLISH: r"\btrainer\b|\bcoach\b",
    },
    "kiropraktor": {DANISH: r"\bkiropraktor", ENGLISH: r"\bchiropractor\b"},
    "osteopat": {DANISH: r"\bosteopat", ENGLISH: r"\bosteopath\b"},
    "sygeplejerske": {DANISH: r"\bsygeplejerske", ENGLISH: r"\bnurse\b"},
    "gynækolog": {DANISH: r"\bgynækolog", ENGLISH: r"\bgyn(?:a)?ecologist\b"},
    "psykolog": {DANISH: r"\bpsykolog", ENGLISH: r"\bpsychologist\b"},
    "massør": {DANISH: r"\bmassør", ENGLISH: r"\bmassage therapist\b|\bmasseuse\b"},
}
OWN_ADVICE_PROFESSIONS = frozenset({"læge", "jordemoder", "fysioterapeut"})

# The source is "the article": never called what the article does not call itself.
SOURCE_KINDS = re.compile(
    r"\b(?:magasin|ugeblad|blad(?:et)?|avis(?:en)?|tidsskrift|blog(?:gen)?|"
    r"magazine|newspaper|journal|blog|website|web page)\b",
    re.IGNORECASE,
)
# Capitalised words a sentence may use of its own (a language's name, "I").
OWN_CAPITALISED = frozenset({"danish", "i", "gp"})

NUMBER_WORDS: Mapping[str, Mapping[str, str]] = {
    DANISH: {
        "to": "2",
        "tre": "3",
        "fire": "4",
        "fem": "5",
        "seks": "6",
        "syv": "7",
        "otte": "8",
        "ni": "9",
        "ti": "10",
        "anden": "2",
        "tredje": "3",
    },
    ENGLISH: {
        "two": "2",
        "three": "3",
        "four": "4",
        "five": "5",
        "six": "6",
        "seven": "7",
        "eight": "8",
        "nine": "9",
        "ten": "10",
        "second": "2",
        "third": "3",
    },
}
_WORD = re.compile(r"[0-9A-Za-zÆØÅæøåé]+")
_CAPITALISED = re.compile(r"(?<![.:!?“\"] )(?<!^)\b[A-ZÆØÅ][\wæøå]*")


@dataclass(frozen=True)
class Problem:
    """One thing the check found: where, which rule, what."""

    topic: str
    language: str
    sentence: int  # 1-based; 0 for the answer as a whole
    rule: str
    detail: str

    def __str__(self) -> str:
        """``recurrence [en] sentence 2: hedges: ...`` for a failing test."""
        return (
            f"{self.topic} [{self.language}] sentence {self.sentence}: "
            f"{self.rule}: {self.detail}"
        )


def words(text: str) -> list[str]:
    """The text's words in lower case (a hyphen or an apostrophe splits)."""
    return [w.lower() for w in _WORD.findall(text)]


def numbers(text: str, language: str) -> set[str]:
    """The numbers in a text, number words as digits ("tre knogler" -> "3")."""
    table = NUMBER_WORDS[language]
    found = set(re.findall(r"\d+", text))
    found.update(table[w] for w in words(text) if w in table)
    return found


def stems(text: str) -> set[str]:
    """The content words of a Danish text, each cut to its first letters."""
    return {
        w[:STEM_LETTERS]
        for w in words(text)
        if w not in _DANISH_FUNCTION_WORDS and not w.isdigit() and len(w) > 1
    }


def rarity(article: Iterable[str]) -> dict[str, float]:
    """How much each word stem tells: log(N+1 / (sentences with it + 1)).

    A stem in many of the article's N sentences (bække-, gravi-, smert-)
    says little about which sentence a claim comes from; a rare one
    (relax-, ledbå-, 2004) says much.
    """
    texts = list(article)
    counts: dict[str, int] = {}
    for text in texts:
        for stem in stems(text):
            counts[stem] = counts.get(stem, 0) + 1
    total = len(texts) + 1
    return {stem: math.log(total / (count + 1)) for stem, count in counts.items()}


def support(sentence: str, cited: str, weights: Mapping[str, float]) -> float:
    """Share of the sentence's content words, by weight, the cited text has too.

    A stem the article never uses weighs most (log(N+1)): a word of the
    assistant's own costs more than a common word.
    """
    own = stems(sentence)
    most = max(weights.values(), default=1.0)
    total = sum(weights.get(stem, most) for stem in own)
    if not total:
        return 1.0
    shared = own & stems(cited)
    return sum(weights.get(stem, most) for stem in shared) / total


def professions(text: str, language: str) -> set[str]:
    """The professions a text names, by their Danish names."""
    return {
        name
        for name, patterns in PROFESSIONS.items()
        if re.search(
            patterns[language], text, re.IGNORECASE if language == DANISH else 0
        )
    }


def _has(pattern: str, text: str) -> bool:
    return re.search(pattern, text, re.IGNORECASE) is not None


def _sentence_problems(
    sentence: str,
    cited: str,
    language: str,
    opinion: bool,
    weights: Mapping[str, float],
) -> Iterable[tuple[str, str]]:
    extra = numbers(sentence, language) - numbers(cited, DANISH)
    if extra:
        yield "numbers", f"{sorted(extra)} not in the cited sentences"
    if opinion and not _has(ATTRIBUTION[language], sentence):
        yield "opinions", "cites the author's own view but does not say whose it is"
    named = professions(sentence, language) - professions(cited, DANISH)
    if named:
        yield "professions", f"{sorted(named)} not named in the cited sentences"
    cited_words = set(words(cited))
    for match in _CAPITALISED.finditer(sentence):
        name = match.group(0).lower()
        if name not in cited_words and name not in OWN_CAPITALISED:
            yield "names", f"{match.group(0)!r} is not in the cited sentences"
    if language == DANISH:
        score = support(sentence, cited, weights)
        if score < SUPPORT_THRESHOLD:
            yield (
                "similarity",
                f"{score:.2f} of its words are the cited sentences' "
                f"(< {SUPPORT_THRESHOLD})",
            )


def _own_problems(sentence: str, language: str) -> Iterable[tuple[str, str]]:
    named = professions(sentence, language) - OWN_ADVICE_PROFESSIONS
    if named:
        yield "professions", f"the assistant's own advice names {sorted(named)}"


def answer_problems(
    sources: SourceMap, topic: str, language: str, text: str
) -> list[Problem]:
    """Everything wrong with one answer in one language, by the rules above."""
    found: list[Problem] = []

    def problem(index: int, rule: str, detail: str) -> None:
        found.append(Problem(topic, language, index, rule, detail))

    entries = sources.answers.get(topic)
    if entries is None:
        problem(0, "map", "the source map has no entry for this answer")
        return found
    sentences = answer_sentences(text)
    weights = rarity(sources.article.values())
    if len(sentences) != len(entries):
        problem(
            0,
            "map",
            f"{len(sentences)} sentences but {len(entries)} entries in the source map",
        )
        return found
    for index, (sentence, entry) in enumerate(
        zip(sentences, entries, strict=True), start=1
    ):
        if SOURCE_KINDS.search(sentence):
            problem(index, "names", "calls the source something other than the article")
        if entry.own is not None or not entry.cites:
            if entry.own not in sources.own_words or entry.cites:
                problem(
                    index,
                    "map",
                    "an entry cites sentences or gives a known reason (own_words)",
                )
            for rule, detail in _own_problems(sentence, language):
                problem(index, rule, detail)
            continue
        if entry.adds is not None and entry.adds not in sources.own_words:
            problem(
                index, "map", f"adds {entry.adds!r}, which own_words does not explain"
            )
        missing = [n for n in entry.cites if n not in sources.article]
        if missing:
            problem(index, "map", f"cites {missing}, which the article does not have")
            continue
        cited = " ".join(sources.article[n] for n in entry.cites)
        opinion = any(n in sources.opinions for n in entry.cites)
        for rule, detail in _sentence_problems(
            sentence, cited, language, opinion, weights
        ):
            problem(index, rule, detail)
    for hedge, n, renders in _dropped_hedges(sources, entries, sentences, language):
        problem(
            0,
            "hedges",
            f"sentence {n} says {hedge!r}; no sentence citing it keeps it ({renders})",
        )
    return found


def _dropped_hedges(
    sources: SourceMap, entries: Sequence, sentences: Sequence[str], language: str
) -> Iterable[tuple[str, int, str]]:
    citing: dict[int, list[str]] = {}
    for sentence, entry in zip(sentences, entries, strict=True):
        for n in entry.cites:
            citing.setdefault(n, []).append(sentence)
    for n, answer_sentences_citing in sorted(citing.items()):
        article_sentence = sources.article.get(n, "")
        for hedge, (trigger, renders) in HEDGES.items():
            if not _has(trigger, article_sentence):
                continue
            if not any(_has(renders[language], s) for s in answer_sentences_citing):
                yield hedge, n, renders[language]


def all_problems(
    sources: SourceMap, answers: Mapping[str, Mapping[str, str]]
) -> list[Problem]:
    """Every problem of every answer (``answers[topic][language]`` is its text)."""
    found = [
        Problem(topic, "-", 0, "map", "in the source map but not an answer")
        for topic in sorted(set(sources.answers) - set(answers))
    ]
    for topic, texts in sorted(answers.items()):
        for language, text in sorted(texts.items()):
            found.extend(answer_problems(sources, topic, language, text))
    return found


def faq_answers(path: Path = FAQ_RESPONSES) -> dict[str, dict[str, str]]:
    """``{topic: {"da": text, "en": text}}`` from the FAQ responses file.

    The Danish text is the variation without a condition, the English one
    the variation for ``language: en``.
    """
    responses = yaml.safe_load(path.read_text("utf-8"))["responses"]
    answers: dict[str, dict[str, str]] = {}
    for name, variations in responses.items():
        topic = name[len(FAQ_PREFIX) :]
        for variation in variations:
            conditions = variation.get("condition") or []
            language = next(
                (c.get("value") for c in conditions if c.get("name") == "language"),
                DANISH,
            )
            answers.setdefault(topic, {})[str(language)] = variation["text"]
    return answers


def unused_sentences(sources: SourceMap) -> list[int]:
    """The article sentences no answer cites, in article order."""
    used = {n for topic in sources.answers for n in sources.cited(topic)}
    return [n for n in sorted(sources.article) if n not in used]
