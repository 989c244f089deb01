"""Training NLU models for the evaluation: the chosen pipeline and variants.

The training data of a fold is written to a temporary folder as Rasa YAML
(examples plus the FAQ responses, which the FAQ gate needs), and trained with
Rasa's own ``train_nlu``.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import yaml

Example = tuple[str, str]  # (text, label)

SPACY_BLOCK_START = "  # A Danish spaCy pipeline"
SPACY_BLOCK_END = "  # Intent and FAQ topic in one"


def without_spacy(config_text: str) -> str:
    """The same pipeline with Rasa's WhitespaceTokenizer instead of spaCy."""
    start = config_text.index(SPACY_BLOCK_START)
    end = config_text.index(SPACY_BLOCK_END)
    return config_text[:start] + "  - name: WhitespaceTokenizer\n" + config_text[end:]


def stratified_folds(
    examples: Sequence[Example], folds: int, seed: int = 7
) -> list[list[Example]]:
    """Split examples into ``folds`` parts with each label spread evenly."""
    by_label: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        by_label[example[1]].append(example)
    parts: list[list[Example]] = [[] for _ in range(folds)]
    rng = random.Random(seed)
    offset = 0
    for label in sorted(by_label):
        group = sorted(by_label[label])
        rng.shuffle(group)
        for i, example in enumerate(group):
            parts[(i + offset) % folds].append(example)
        offset += len(group)
    return parts


def nlu_yaml(examples: Sequence[Example]) -> str:
    """Rasa YAML training data for the examples."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for text, label in examples:
        by_label[label].append(text)
    blocks = [
        {"intent": label, "examples": "".join(f"- {text}\n" for text in texts)}
        for label, texts in sorted(by_label.items())
    ]
    return yaml.safe_dump(
        {"version": "3.1", "nlu": blocks}, allow_unicode=True, sort_keys=False
    )


def train_nlu_model(
    config_text: str,
    examples: Sequence[Example],
    responses_file: Path,
    workdir: Path,
    name: str,
) -> Path:
    """Train an NLU-only model on the examples; the path of the model."""
    from rasa.model_training import train_nlu

    data = workdir / f"{name}-data"
    data.mkdir(parents=True, exist_ok=True)
    (data / "nlu.yml").write_text(nlu_yaml(examples), "utf-8")
    (data / "responses.yml").write_text(responses_file.read_text("utf-8"), "utf-8")
    config = workdir / f"{name}-config.yml"
    config.write_text(config_text, "utf-8")
    model = train_nlu(
        str(config), str(data), str(workdir), fixed_model_name=name, domain="domain.yml"
    )
    if not model:
        raise RuntimeError(f"training {name} failed")
    return Path(model)
