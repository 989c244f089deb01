"""The domain as the Rasa server loads it and sends it to the action server.

For tests of the actions: ``DOMAIN`` is what an action gets as ``domain`` in
``run()`` (domain.yml merged with the responses in data/, as ``rasa train``
builds it); ``texts(language)`` is its responses as a conversation in that
language sees them.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from rasa.shared.importers.importer import TrainingDataImporter

from actions.responses import Responses

ROOT = Path(__file__).resolve().parents[1]


@functools.lru_cache(maxsize=1)
def rasa_domain() -> Any:
    """The domain Rasa builds from the project's files."""
    return TrainingDataImporter.load_from_config(
        str(ROOT / "config.yml"), str(ROOT / "domain.yml"), [str(ROOT / "data")]
    ).get_domain()


@functools.lru_cache(maxsize=1)
def domain_dict() -> dict[str, Any]:
    """The domain as JSON, as the Rasa server sends it with every action call."""
    return rasa_domain().as_dict()


def texts(language: str | None) -> Responses:
    """The domain's responses for a conversation in ``language`` (None: not yet set)."""
    return Responses(domain_dict()["responses"], {"language": language})
