"""The domain as the Rasa server loads it, and replies as Rasa renders them.

For tests of the actions: ``rasa_domain()`` is the domain ``rasa train``
builds (domain.yml merged with the responses in data/), ``domain_dict()`` the
JSON Rasa sends to an action that asks for it; ``texts(language)`` the
domain's responses as plain text in that language, and ``await seen(messages,
slots)`` what she sees of an action's messages: each rendered by Rasa's own
``RemoteAction._utter_responses`` with the project's response generator
(``assistant/nlg/``), as the Rasa server renders them.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.importers.importer import TrainingDataImporter

from assistant.nlg.response_generator import ResponseGenerator, SlotPhrases

ROOT = Path(__file__).resolve().parents[1]


@functools.lru_cache(maxsize=1)
def rasa_domain() -> Any:
    """The domain Rasa builds from the project's files."""
    return TrainingDataImporter.load_from_config(
        str(ROOT / "config.yml"), str(ROOT / "domain.yml"), [str(ROOT / "data")]
    ).get_domain()


@functools.lru_cache(maxsize=1)
def domain_dict() -> dict[str, Any]:
    """The domain as JSON, as the Rasa server sends it to an action."""
    return rasa_domain().as_dict()


@functools.lru_cache(maxsize=1)
def generator() -> ResponseGenerator:
    """The response generator endpoints.yml names, over the project's domain."""
    return ResponseGenerator(domain=rasa_domain())


def texts(language: str | None) -> SlotPhrases:
    """The domain's responses as plain text in ``language`` (None: not yet set)."""
    return SlotPhrases(generator(), {"language": language}, "rest")


async def seen(
    messages: Sequence[Mapping[str, Any]], slots: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """What she sees of an action's messages (rasa-sdk's dispatcher.messages).

    Each as Rasa's REST channel gets it (text, buttons), rendered by Rasa for
    a conversation with ``slots``.
    """
    domain = rasa_domain()
    events = [SlotSet(name, value) for name, value in (slots or {}).items()]
    tracker = DialogueStateTracker.from_events("her", events, slots=domain.slots)
    channel = CollectingOutputChannel()
    uttered = await RemoteAction._utter_responses(
        copy.deepcopy(list(messages)), channel, generator(), tracker
    )
    return [
        {"text": event.text, "buttons": event.data.get("buttons") or []}
        for event in uttered
    ]
