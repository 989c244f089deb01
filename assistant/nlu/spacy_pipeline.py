"""Rasa's ``SpacyNLP``, with the spaCy pipeline's contents in its fingerprint.

Rasa knows a spaCy model by its name only (``SpacyModel.fingerprint``), so a
rebuilt pipeline under the same path (``build/spacy_da``, made by
``scripts/build_spacy_pipeline.py`` from spaCy's Danish language data and
spacy-lookups-data) would reuse tokens and lemmas from Rasa's training cache.
Here the fingerprint also covers every file of the pipeline's folder; a change
misses the cache and, with it, every component after this one.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.utils.spacy_utils import SpacyNLP


def folder_fingerprint(folder: Path) -> str | None:
    """A hash of every file's relative path and contents; None if no folder."""
    if not folder.is_dir():
        return None
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.MODEL_LOADER,
        DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER,
    ],
    is_trainable=False,
    model_from="SpacyPipelineNLP",
)
class SpacyPipelineNLP(SpacyNLP):
    """``SpacyNLP`` whose cache key changes when the pipeline's files do."""

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """The pipeline folder's contents (a package name: None, as Rasa does)."""
        model = config.get("model")
        return folder_fingerprint(Path(model)) if model else None
