"""Held-out accuracy: parse tests/heldout/*.yml with a trained model.

Usage: python -m evaluation.heldout [--model models/current.tar.gz] [--show-mistakes]

The held-out sets are never trained on; they are written apart from the
training data so they measure how the bot copes with new phrasings.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

import yaml

from evaluation.evaluate import HELDOUT, parse_all, quiet_rasa
from evaluation.metrics import Pair, labelled_examples, mistakes, quality


def predict(model: str, languages: dict[str, Path]) -> dict[str, list[Pair]]:
    """(gold, predicted) pairs per language, parsed by the model at ``model``."""
    quiet_rasa()
    sets = {
        language: labelled_examples(yaml.safe_load(path.read_text("utf-8")))
        for language, path in languages.items()
    }
    texts = [text for examples in sets.values() for text, _ in examples]
    predicted = iter(asyncio.run(parse_all(Path(model), texts)))
    return {
        language: [(gold, next(predicted)) for _, gold in examples]
        for language, examples in sets.items()
    }


def report(results: dict[str, list[Pair]], show_mistakes: bool) -> str:
    """A Markdown table of the figures per language."""
    lines = [
        "| language | examples | all labels | FAQ topic accuracy "
        "| false fallback | out-of-scope rejected |",
        "|---|---|---|---|---|---|",
    ]
    for language, pairs in results.items():
        q = quality(pairs)
        lines.append(
            f"| {language} | {q.examples} | {q.accuracy:.1%} | "
            f"{q.topic_accuracy:.1%} ({q.topic_examples}) | "
            f"{q.false_fallback_rate:.1%} | "
            f"{q.out_of_scope_rejection:.1%} ({q.out_of_scope_examples}) |"
        )
    if show_mistakes:
        for language, pairs in results.items():
            lines.append(f"\nMistakes ({language}):")
            for (gold, predicted), count in mistakes(pairs).items():
                lines.append(f"  {count} x {gold} -> {predicted}")
    return "\n".join(lines)


def main() -> int:
    """Prints the held-out figures for the model."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/current.tar.gz")
    parser.add_argument("--show-mistakes", action="store_true")
    args = parser.parse_args()
    results = predict(args.model, HELDOUT)
    print(report(results, args.show_mistakes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
