"""Held-out accuracy: parse tests/heldout/*.yml with a trained model.

Usage: python -m evaluation.heldout [--model models/current.tar.gz] [--show-mistakes]

The held-out sets are never trained on; they are written apart from the
training data so they measure how the bot copes with new phrasings.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

import yaml

from evaluation.metrics import (
    Pair,
    labelled_examples,
    mistakes,
    predicted_label,
    quality,
)

HELDOUT = {
    "da": Path("tests/heldout/heldout_da.yml"),
    "en": Path("tests/heldout/heldout_en.yml"),
}


async def predict(model: str, languages: dict[str, Path]) -> dict[str, list[Pair]]:
    """(gold, predicted) pairs per language, parsed by the model at ``model``."""
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # no per-message debug lines
    logging.getLogger().setLevel(logging.WARNING)
    agent = Agent.load(model)
    results: dict[str, list[Pair]] = {}
    for language, path in languages.items():
        examples = labelled_examples(yaml.safe_load(path.read_text("utf-8")))
        pairs = []
        for text, gold in examples:
            parsed = await agent.parse_message(text)
            pairs.append((gold, predicted_label(parsed)))
        results[language] = pairs
    return results


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
    results = asyncio.run(predict(args.model, HELDOUT))
    print(report(results, args.show_mistakes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
