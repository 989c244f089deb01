"""Pure figures of answer quality from (gold label, predicted label) pairs.

Labels are what the bot acts on: ``faq/<topic>`` for a FAQ answer, a plain
intent name otherwise, and ``nlu_fallback`` when it asks back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

from knowledge import intents

FALLBACK = intents.NLU_FALLBACK
OUT_OF_SCOPE = intents.OUT_OF_SCOPE

Pair = tuple[str, str]


@dataclass(frozen=True)
class Quality:
    """The headline figures for one set of labelled messages."""

    examples: int
    accuracy: float  # every label counts
    topic_examples: int
    topic_accuracy: float  # FAQ questions answered with the right topic
    false_fallback_rate: float  # in-scope questions the bot asked back on
    out_of_scope_examples: int
    out_of_scope_rejection: float  # out-of-scope declined or asked back on


def _rate(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def quality(pairs: Sequence[Pair]) -> Quality:
    """Compute the headline figures for ``pairs`` of (gold, predicted)."""
    topics = [
        (gold, predicted)
        for gold, predicted in pairs
        if gold.startswith(f"{intents.FAQ}/")
    ]
    in_scope = [(gold, predicted) for gold, predicted in pairs if gold != OUT_OF_SCOPE]
    out_of_scope = [predicted for gold, predicted in pairs if gold == OUT_OF_SCOPE]
    return Quality(
        examples=len(pairs),
        accuracy=_rate(sum(gold == predicted for gold, predicted in pairs), len(pairs)),
        topic_examples=len(topics),
        topic_accuracy=_rate(
            sum(gold == predicted for gold, predicted in topics), len(topics)
        ),
        false_fallback_rate=_rate(
            sum(predicted == FALLBACK for _, predicted in in_scope), len(in_scope)
        ),
        out_of_scope_examples=len(out_of_scope),
        out_of_scope_rejection=_rate(
            sum(predicted in (OUT_OF_SCOPE, FALLBACK) for predicted in out_of_scope),
            len(out_of_scope),
        ),
    )


def mistakes(pairs: Iterable[Pair]) -> dict[Pair, int]:
    """How often each (gold, predicted) confusion occurred, most frequent first."""
    counts: dict[Pair, int] = {}
    for gold, predicted in pairs:
        if gold != predicted:
            counts[(gold, predicted)] = counts.get((gold, predicted), 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def predicted_label(parse_data: dict) -> str:
    """The label the bot acts on, from Rasa's parse result."""
    intent = parse_data.get("intent") or {}
    name = str(intent.get("name") or FALLBACK)
    full = intent.get("full_retrieval_intent_name")
    return str(full) if name == intents.FAQ and full else name


def labelled_examples(nlu_yaml: dict) -> list[tuple[str, str]]:
    """(text, label) pairs from a Rasa NLU YAML document."""
    examples = []
    for block in nlu_yaml.get("nlu", []):
        label = block["intent"]
        for line in str(block.get("examples", "")).splitlines():
            text = line.strip()
            if text.startswith("- "):
                examples.append((text[2:].strip(), label))
    return examples


@dataclass(frozen=True)
class LabelScore:
    """Precision, recall and F1 of one label, and how many gold examples it has."""

    precision: float
    recall: float
    f1: float
    support: int


def _columns(pairs: Sequence[Pair]) -> tuple[list[str], list[str]]:
    return [gold for gold, _ in pairs], [predicted for _, predicted in pairs]


def label_scores(pairs: Sequence[Pair]) -> dict[str, LabelScore]:
    """Per-label scores over every label that occurs as gold or prediction."""
    labels = sorted({label for pair in pairs for label in pair})
    if not labels:
        return {}
    gold, predicted = _columns(pairs)
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, predicted, labels=labels, zero_division=0
    )
    columns = zip(labels, precision, recall, f1, support, strict=True)
    return {
        label: LabelScore(float(p), float(r), float(f), int(n))
        for label, p, r, f, n in columns
    }


def macro_f1(pairs: Sequence[Pair]) -> float:
    """The mean F1 over the labels that occur as gold labels."""
    if not pairs:
        return 0.0
    gold, predicted = _columns(pairs)
    return float(
        f1_score(
            gold,
            predicted,
            labels=sorted(set(gold)),
            average="macro",
            zero_division=0,
        )
    )


def wrong_language_rate(
    languages: Sequence[tuple[str | None, str | None]],
) -> float:
    """Share of replies in another language than the message they answer.

    Each item is (language of her message, language detected in the reply).
    A message that shows no language (None: "menu", "ok") is not counted: the
    bot cannot tell, and keeps the conversation's language. A reply that shows
    no language is not counted as wrong.
    """
    shown = [(asked, replied) for asked, replied in languages if asked]
    wrong = sum(1 for asked, replied in shown if replied and replied != asked)
    return _rate(wrong, len(shown))


def confusion(pairs: Sequence[Pair], labels: Sequence[str]) -> list[list[int]]:
    """Counts[gold][predicted] in the order of ``labels`` (other pairs left out)."""
    if not pairs or not labels:
        return [[0] * len(labels) for _ in labels]
    gold, predicted = _columns(pairs)
    matrix = confusion_matrix(gold, predicted, labels=list(labels))
    return [[int(count) for count in row] for row in matrix]
