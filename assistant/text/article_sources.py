"""Where each FAQ answer comes from: the article's sentences behind it.

Two data files, read once: ``source/article_sentences.yml`` (the article in
numbered sentences, generated from the article by ``make article-sentences``)
and ``source/answer_sources.yml`` (the source map: for every sentence of every
FAQ answer, the article sentences it restates, or the reason it is the
assistant's own words). What she is shown is built here: the quoted sentences
under an answer in the widget, the ``source`` in a reply's metadata, the
"kilde" reply in the shell and on messaging platforms. The checks that the map
is right are in ``evaluation/provenance.py``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.text.sentences import split_paragraph

ROOT = Path(__file__).resolve().parents[2]
ARTICLE_SENTENCES = ROOT / "source" / "article_sentences.yml"
SOURCE_MAP = ROOT / "source" / "answer_sources.yml"
FAQ_PREFIX = "utter_faq/"
ARTICLE_LANGUAGE = "da"


@dataclass(frozen=True)
class AnswerSentence:
    """One sentence of an answer: the article sentences behind it, or its reason."""

    cites: tuple[int, ...]
    own: str | None = None  # why the sentence is the assistant's own words
    adds: str | None = None  # what a citing sentence adds of its own


@dataclass(frozen=True)
class SourceMap:
    """The article's numbered sentences and what every answer rests on."""

    article: Mapping[int, str]
    answers: Mapping[str, tuple[AnswerSentence, ...]]
    own_words: Mapping[str, str]
    opinions: Mapping[int, str]
    not_used: Mapping[int, str]

    def cited(self, topic: str) -> list[int]:
        """The article sentences an answer cites, each once, in article order."""
        return sorted({n for entry in self.answers.get(topic, ()) for n in entry.cites})

    def has_own_words(self, topic: str) -> bool:
        """Whether part of the answer is the assistant's own words."""
        return any(entry.own or entry.adds for entry in self.answers.get(topic, ()))


def _entry(raw: Mapping[str, Any]) -> AnswerSentence:
    return AnswerSentence(
        cites=tuple(int(n) for n in raw.get("cites") or ()),
        own=raw.get("own"),
        adds=raw.get("adds"),
    )


def read_source_map(
    article_sentences: Path = ARTICLE_SENTENCES, source_map: Path = SOURCE_MAP
) -> SourceMap:
    """The two files read and joined (raises if either is missing or malformed)."""
    article = yaml.safe_load(article_sentences.read_text("utf-8"))
    sources = yaml.safe_load(source_map.read_text("utf-8"))
    return SourceMap(
        article={int(s["n"]): str(s["text"]) for s in article["sentences"]},
        answers={
            str(topic): tuple(_entry(raw) for raw in entries)
            for topic, entries in sources["answers"].items()
        },
        own_words=dict(sources.get("own_words") or {}),
        opinions={
            int(n): str(why) for n, why in (sources.get("opinions") or {}).items()
        },
        not_used={
            int(n): str(why) for n, why in (sources.get("not_used") or {}).items()
        },
    )


@functools.lru_cache(maxsize=1)
def shipped_source_map() -> SourceMap:
    """The project's own source map, read once per process."""
    return read_source_map()


def topic_of(response: str) -> str | None:
    """``recurrence`` for ``utter_faq/recurrence``; None for any other response."""
    if not response.startswith(FAQ_PREFIX):
        return None
    return response[len(FAQ_PREFIX) :] or None


def answer_sentences(text: str) -> list[str]:
    """An answer's sentences, as the source map counts them."""
    return [s for part in text.split("\n\n") for s in split_paragraph(part)]


def source_metadata(
    sources: SourceMap, topic: str, language: str
) -> dict[str, Any] | None:
    """The ``source`` a client shows under a FAQ answer; None if it has none.

    The quoted article sentences (Danish, as the article has them), their
    numbers, whether the answer is a translation of what they say, and
    whether some of the answer is the assistant's own words.
    """
    numbers = sources.cited(topic)
    if not numbers:
        return None
    return {
        "article": "article.da.txt",
        "language": ARTICLE_LANGUAGE,
        "translated": language != ARTICLE_LANGUAGE,
        "sentences": [{"n": n, "text": sources.article[n]} for n in numbers],
        "own_words": sources.has_own_words(topic),
    }


def quoted(sources: SourceMap, topic: str) -> str:
    """The article sentences behind an answer, one per line with its number.

    ``(58) “De fleste oplever heldigvis, ...”``: the text of the "kilde"
    reply in the shell and on messaging platforms.
    """
    return "\n".join(f"({n}) “{sources.article[n]}”" for n in sources.cited(topic))


def last_answer_topic(bot_metadata: Iterable[Mapping[str, Any]]) -> str | None:
    """The topic of the last FAQ answer, from the bot messages' metadata.

    ``bot_metadata`` is the metadata of each of the bot's messages, newest
    first; a FAQ answer's names its response (``utter_action``).
    """
    for metadata in bot_metadata:
        topic = topic_of(str(metadata.get("utter_action") or ""))
        if topic:
            return topic
    return None
