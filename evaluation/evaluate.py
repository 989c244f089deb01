"""`make evaluate`: how well the assistant understands, written to reports/nlu.md.

It also writes reports/sources.md, where the answers come from
(``evaluation/sources_report.py``).

1. The held-out sets (tests/heldout/, never trained on), per language, for
   three pipelines trained on the same examples: the chosen one (the trained
   model in models/), the same without spaCy, and a TF-IDF + logistic
   regression baseline. The chosen model is also run as the whole bot, to
   count replies in the wrong language.
2. 5-fold cross-validation on the training examples, for the chosen pipeline
   and the baseline.

Usage: python -m evaluation.evaluate [--folds 5] [--out reports]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import yaml

from assistant.config.endpoints import read_section
from assistant.server.action_connection import close_shared_session
from assistant.text.language import detect_language
from evaluation import sources_report
from evaluation.baseline import predict_baseline, train_baseline
from evaluation.metrics import (
    Pair,
    labelled_examples,
    predicted_label,
    wrong_language_rate,
)
from evaluation.pipelines import (
    Example,
    stratified_folds,
    train_nlu_model,
    without_spacy,
)
from evaluation.report import write_report
from evaluation.triage import triage_figures, triage_items
from harness.servers import ActionServer

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = {
    "da": ROOT / "tests/heldout/heldout_da.yml",
    "en": ROOT / "tests/heldout/heldout_en.yml",
}
TRIAGE = ROOT / "tests/heldout/triage.yml"
TRAINING_FILES = [
    ROOT / "data/nlu.yml",
    ROOT / "data/triage/nlu_triage.yml",
    ROOT / "data/referral.yml",
    ROOT / "data/faq/nlu_faq_da.yml",
    ROOT / "data/faq/nlu_faq_en.yml",
]
RESPONSES = ROOT / "data/faq/responses.yml"


def quiet_rasa() -> None:
    """No per-message debug lines from Rasa."""
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    logging.getLogger().setLevel(logging.WARNING)


def load_examples(paths: list[Path]) -> list[Example]:
    """(text, label) pairs from Rasa NLU YAML files."""
    examples: list[Example] = []
    for path in paths:
        examples += labelled_examples(yaml.safe_load(path.read_text("utf-8")))
    return examples


def load_agent(model: Path, action_server_url: str | None = None) -> Any:
    """The model, loaded as the server would: with the project's patches.

    With ``action_server_url``, also with the shipped endpoints.yml's response
    generator and action endpoint, the latter pointed at that action server:
    the custom actions (the ask-back, the referral check) then give their
    own replies, not the fallback reply of an action server out of reach.
    """
    from rasa.core.agent import Agent

    from assistant.server import rasa_patches

    rasa_patches.install_at_start(os.environ)
    if action_server_url is None:
        return Agent.load(str(model))
    shipped = ROOT / "endpoints.yml"
    environ = {**os.environ, "ACTION_SERVER_URL": f"{action_server_url}/webhook"}
    return Agent.load(
        str(model),
        generator=read_section(shipped, "nlg", environ),
        action_endpoint=read_section(shipped, "action_endpoint", environ),
    )


async def parse_all(model: Path, texts: list[str]) -> list[str]:
    """The label the model's NLU gives each text."""
    agent = load_agent(model)
    return [predicted_label(await agent.parse_message(text)) for text in texts]


async def bot_replies(model: Path, texts: list[str]) -> list[str]:
    """The whole bot's reply to each text, each in a new chat.

    With the project's action server running, as in production.
    """
    with tempfile.TemporaryDirectory() as folder:
        actions = ActionServer(Path(folder)).start()
        try:
            agent = load_agent(model, actions.url)
            replies = []
            for text in texts:
                answer = await agent.handle_text(text, sender_id=uuid.uuid4().hex)
                replies.append(" ".join(str(r.get("text") or "") for r in answer or []))
            return replies
        finally:
            await close_shared_session()  # the action calls' kept connection
            actions.stop()


async def reply_languages(model: Path, texts: list[str]) -> list[str | None]:
    """The language of the whole bot's reply to each text, each in a new chat."""
    return [detect_language(reply) for reply in await bot_replies(model, texts)]


def heldout(chosen_model: Path, workdir: Path, training: list[Example]) -> dict:
    """Held-out (gold, predicted) pairs per pipeline and language; reply languages."""
    sets = {
        lang: labelled_examples(yaml.safe_load(path.read_text("utf-8")))
        for lang, path in HELDOUT.items()
    }
    config = (ROOT / "config.yml").read_text("utf-8")
    started = time.monotonic()
    no_spacy_model = train_nlu_model(
        without_spacy(config), training, RESPONSES, workdir, "no-spacy"
    )
    no_spacy_seconds = time.monotonic() - started
    baseline = train_baseline(
        [t for t, _ in training], [label for _, label in training]
    )
    results: dict = {
        "pairs": {},
        "reply_languages": {},
        "no_spacy_seconds": no_spacy_seconds,
    }
    for lang, examples in sets.items():
        texts = [text for text, _ in examples]
        gold = [label for _, label in examples]
        predictions = {
            "chosen": asyncio.run(parse_all(chosen_model, texts)),
            "no spaCy": asyncio.run(parse_all(no_spacy_model, texts)),
            "baseline": predict_baseline(baseline, texts),
        }
        results["pairs"][lang] = {
            name: list(zip(gold, predicted, strict=True))
            for name, predicted in predictions.items()
        }
        replies = asyncio.run(reply_languages(chosen_model, texts))
        # messages that show no language ("menu") are not counted
        results["reply_languages"][lang] = [
            (lang if detect_language(text) else None, reply)
            for text, reply in zip(texts, replies, strict=True)
        ]
    results["triage"] = triage(chosen_model)
    return results


def triage(model: Path) -> dict:
    """The triage figures per language on the held-out triage set."""
    items = triage_items(yaml.safe_load(TRIAGE.read_text("utf-8")))
    predicted = asyncio.run(parse_all(model, [item.text for item in items]))
    return {
        language: triage_figures(items, predicted, language)
        for language in ("da", "en")
    }


def cross_validation(training: list[Example], folds: int, workdir: Path) -> dict:
    """(gold, predicted) pairs over all folds, per pipeline, and language of each."""
    config = (ROOT / "config.yml").read_text("utf-8")
    parts = stratified_folds(training, folds)
    pairs: dict[str, list[Pair]] = {"chosen": [], "baseline": []}
    languages: list[str | None] = []
    for index, test in enumerate(parts):
        train = [
            example for i, part in enumerate(parts) if i != index for example in part
        ]
        texts = [text for text, _ in test]
        gold = [label for _, label in test]
        print(
            f"  fold {index + 1}/{folds}: training on {len(train)} examples", flush=True
        )
        model = train_nlu_model(config, train, RESPONSES, workdir, f"fold-{index}")
        pairs["chosen"] += list(
            zip(gold, asyncio.run(parse_all(model, texts)), strict=True)
        )
        baseline = train_baseline([t for t, _ in train], [label for _, label in train])
        pairs["baseline"] += list(
            zip(gold, predict_baseline(baseline, texts), strict=True)
        )
        languages += [detect_language(text) for text in texts]
        model.unlink(missing_ok=True)
    return {"pairs": pairs, "languages": languages}


def main() -> int:
    """Run the evaluation and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ROOT / "models/current.tar.gz"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "reports"))
    args = parser.parse_args()
    quiet_rasa()
    training = load_examples(TRAINING_FILES)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        print("held-out sets: chosen, no spaCy, baseline", flush=True)
        held = heldout(Path(args.model), workdir, training)
        print(f"{args.folds}-fold cross-validation", flush=True)
        cv = cross_validation(training, args.folds, workdir)
    out = Path(args.out)
    write_report(out, held, cv, args.folds, len(training))
    print(f"wrote {out / 'nlu.md'}")
    print(f"wrote {sources_report.write_report(out)}")
    for lang, pairs in held["reply_languages"].items():
        print(f"  wrong-language replies ({lang}): {wrong_language_rate(pairs):.1%}")
    for lang, figures in held["triage"].items():
        print(
            f"  triage ({lang}): red-flag recall {figures.red_flag_recall:.1%}, "
            f"symptom reports to the referral check "
            f"{figures.symptom_reports_to_referral:.1%}, "
            f"false urgent {figures.false_urgent:.1%}; "
            + ", ".join(
                f"{group} {rate:.1%} of {count}"
                for group, (count, rate) in figures.sounds_urgent.items()
            )
            + f"; denial then pain to the check "
            f"{figures.denial_then_pain_to_referral:.1%}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
