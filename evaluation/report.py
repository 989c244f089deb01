"""Writing reports/nlu.md and the confusion-matrix picture."""

from __future__ import annotations

import os
import platform
from datetime import date
from pathlib import Path

from evaluation.metrics import (
    Pair,
    confusion,
    label_scores,
    macro_f1,
    quality,
    wrong_language_rate,
)

LANGUAGE_NAMES = {"da": "Danish", "en": "English", None: "no language shown"}


def _percent(value: float) -> str:
    return f"{100 * value:.1f} %"


def quality_row(name: str, pairs: list[Pair], wrong_language: str = "") -> str:
    """One Markdown table row of the headline figures ("–" where nothing to count)."""
    q = quality(pairs)
    topic = _percent(q.topic_accuracy) if q.topic_examples else "–"
    rejected = _percent(q.out_of_scope_rejection) if q.out_of_scope_examples else "–"
    return (
        f"| {name} | {q.examples} | {topic} | {_percent(macro_f1(pairs))} | "
        f"{rejected} | {_percent(q.false_fallback_rate)} | {wrong_language} |"
    )


HEADER = (
    "| pipeline | messages | FAQ topic accuracy | macro-F1 | out-of-scope rejected "
    "| false fallback | wrong-language replies |\n|---|---|---|---|---|---|---|"
)


def confusion_png(pairs: list[Pair], path: Path, title: str) -> None:
    """Save a confusion matrix (rows: gold, columns: predicted) as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = sorted({label for pair in pairs for label in pair})
    counts = confusion(pairs, labels)
    size = max(8.0, 0.42 * len(labels))
    figure, axes = plt.subplots(figsize=(size, size))
    axes.imshow(counts, cmap="Purples")
    axes.set_xticks(range(len(labels)), labels, rotation=90, fontsize=8)
    axes.set_yticks(range(len(labels)), labels, fontsize=8)
    axes.set_xlabel("predicted")
    axes.set_ylabel("gold")
    axes.set_title(title)
    darkest = max((value for values in counts for value in values), default=1)
    for row, values in enumerate(counts):
        for column, value in enumerate(values):
            if value:
                colour = "white" if value > darkest / 2 else "black"
                axes.text(column, row, str(value), ha="center", va="center",
                          fontsize=7, color=colour)  # fmt: skip
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def write_report(out: Path, held: dict, cv: dict, folds: int, examples: int) -> None:
    """Write reports/nlu.md and reports/nlu_confusion_heldout.png."""
    out.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Answer quality",
        "",
        f"Written by `make evaluate` on {date.today().isoformat()} "
        f"({os.cpu_count()} cores, {platform.machine()}). Labels are what the bot "
        "acts on: `faq/<topic>`, a plain intent, or `nlu_fallback` (it asks back).",
        "",
        "## Held-out sets (never trained on)",
        "",
        "Written apart from the training data (tests/heldout/). All three pipelines "
        f"are trained on the same {examples} examples.",
        "",
    ]
    for lang, pipelines in held["pairs"].items():
        lines += [f"### {LANGUAGE_NAMES[lang]}", "", HEADER]
        wrong = _percent(wrong_language_rate(held["reply_languages"][lang]))
        for name, pairs in pipelines.items():
            lines.append(quality_row(name, pairs, wrong if name == "chosen" else "–"))
        lines.append("")
    lines += [
        "The chosen pipeline is the trained model in `models/`; *no spaCy* is the same "
        "config with Rasa's WhitespaceTokenizer instead of spaCy's tokens and lemmas; "
        "*baseline* is TF-IDF over character 2–5-grams with a logistic regression "
        "(scikit-learn), which never asks back. Wrong-language replies: the whole "
        "bot answers each message in a new conversation, and the reply's language "
        "is compared with the message's.",
        "",
        f"## {folds}-fold cross-validation on the training examples",
        "",
        "Stratified by label; each fold is held out once. The languages are told "
        'apart by the bot\'s own language detection (short messages such as "ok" '
        "show none).",
        "",
    ]
    by_language: dict = {}
    for index, language in enumerate(cv["languages"]):
        by_language.setdefault(language, []).append(index)
    for language in ("da", "en", None):
        indices = by_language.get(language, [])
        if not indices:
            continue
        lines += [f"### {LANGUAGE_NAMES[language]}", "", HEADER]
        for name, pairs in cv["pairs"].items():
            lines.append(quality_row(name, [pairs[i] for i in indices], "–"))
        lines.append("")
    chosen = held["pairs"]["da"]["chosen"] + held["pairs"]["en"]["chosen"]
    lines += [
        "## Per label, held-out, chosen pipeline (both languages)",
        "",
        "| label | precision | recall | F1 | gold examples |",
        "|---|---|---|---|---|",
    ]
    for label, score in label_scores(chosen).items():
        lines.append(
            f"| `{label}` | {_percent(score.precision)} | {_percent(score.recall)} | "
            f"{_percent(score.f1)} | {score.support} |"
        )
    lines += [
        "",
        "![Confusion matrix, held-out, chosen pipeline](nlu_confusion_heldout.png)",
        "",
    ]
    (out / "nlu.md").write_text("\n".join(lines), "utf-8")
    confusion_png(
        chosen,
        out / "nlu_confusion_heldout.png",
        "Held-out, chosen pipeline (Danish + English)",
    )
