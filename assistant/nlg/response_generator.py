"""Rasa's templated response generator, with the summary and the ask-back.

Every response is rendered as Rasa renders it (``TemplatedNaturalLanguageGenerator``:
the variation her slots pick, ``{placeholders}`` filled from the slots and the
values the action sent). Two responses are built from parts:

- ``utter_referral_summary``: ``{answers}`` is her answers to the referral
  check, read from the slots and worded with the domain's ``utter_summary_*``
  pieces in her language (``knowledge/referral_summary.py``); with no answers,
  ``utter_referral_summary_nothing`` is said instead. Rasa renders an action's
  responses before the action's own events apply, so the slots still hold the
  answers the action is about to clear.
- ``utter_suggest_topics``: of the response's buttons, only those of the
  ``choices`` the action sent, in that order, then "something else"
  (``knowledge/ask_back.py``).

A variation is picked as Rasa picks it, from the variations split once per
response and channel (``assistant/nlg/variations.py``), not filtered anew for
every reply.

A FAQ answer (``utter_faq/<topic>``) carries its source in the response's
metadata: the article sentences it rests on (``assistant/text/article_sources.py``),
which the channels pass on to the widget and REST and socket.io clients. When
she asks for the source ("kilde"), ``utter_source`` quotes the sentences
behind her last FAQ answer, read from the conversation, with
``utter_source_own_words`` when part of it was the assistant's own words, or
``utter_source_nothing`` before any answer.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.constants import RESPONSE_CONDITION
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from assistant.nlg import variations
from assistant.text import article_sources
from knowledge import ask_back, referral_summary
from knowledge.referral_answers import language_of, situation_from_slots

SOURCE_RESPONSE = "utter_source"
SOURCE_OWN_WORDS_RESPONSE = "utter_source_own_words"
NOTHING_TO_SOURCE_RESPONSE = "utter_source_nothing"

logger = logging.getLogger(__name__)


class SlotPhrases:
    """The domain's responses as plain text, for one conversation's slots."""

    def __init__(
        self,
        generator: TemplatedNaturalLanguageGenerator,
        slots: Mapping[str, Any],
        channel: str,
    ) -> None:
        """Render with ``generator`` for ``slots`` on ``channel``."""
        self._generator = generator
        self._slots = dict(slots)
        self._channel = channel
        self.language = language_of(slots)

    def text(self, name: str, **values: Any) -> str:
        """The response's text as Rasa renders it, ``{placeholders}`` filled."""
        rendered = TemplatedNaturalLanguageGenerator.generate_from_slots(
            self._generator, name, self._slots, self._channel, **values
        )
        if rendered is None:
            raise KeyError(f"The domain has no response {name!r}.")
        return str(rendered.get("text") or "")


class ResponseGenerator(TemplatedNaturalLanguageGenerator):
    """Rasa's generator over the domain's responses, with the two built replies."""

    def __init__(
        self,
        endpoint_config: EndpointConfig | None = None,
        domain: Domain | None = None,
        responses: dict[str, list[dict[str, Any]]] | None = None,
    ) -> None:
        """As Rasa creates a custom NLG (``endpoint_config``, ``domain``)."""
        super().__init__(
            responses if responses is not None else (domain or Domain.empty()).responses
        )
        # read when the server starts: a missing source map stops it there,
        # not at her first question
        self.sources = article_sources.shipped_source_map()
        self._variations = variations.ResponseVariations(self.responses)

    def _random_response_for(
        self, utter_action: str, output_channel: str, filled_slots: dict[str, Any]
    ) -> dict[str, Any] | None:
        """Rasa's pick of a variation, from the variations split beforehand."""
        if self._variations.responses is not self.responses:  # replaced whole
            self._variations = variations.ResponseVariations(self.responses)
        suitable = self._variations.suitable(utter_action, output_channel, filled_slots)
        if not suitable:
            return None
        chosen = variations.pick(suitable)
        if chosen.get(RESPONSE_CONDITION) and logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "Selecting response variation with conditions:"
                f"{self._format_response_conditions(chosen[RESPONSE_CONDITION])}"
            )
        return chosen

    async def generate(
        self,
        utter_action: str,
        tracker: DialogueStateTracker,
        output_channel: str,
        **kwargs: Any,
    ) -> dict[str, Any] | None:
        """The response for ``utter_action``; the source of her last answer built."""
        if utter_action != SOURCE_RESPONSE:
            return await super().generate(
                utter_action, tracker, output_channel, **kwargs
            )
        slots = tracker.current_slot_values()
        topic = article_sources.last_answer_topic(
            event.metadata or {}
            for event in reversed(tracker.events)
            if isinstance(event, BotUttered)
        )
        if topic is None or not self.sources.cited(topic):
            return self.generate_from_slots(
                NOTHING_TO_SOURCE_RESPONSE, slots, output_channel, **kwargs
            )
        response = self.generate_from_slots(
            SOURCE_RESPONSE,
            slots,
            output_channel,
            **{**kwargs, "quotes": article_sources.quoted(self.sources, topic)},
        )
        if response is not None and self.sources.has_own_words(topic):
            own = SlotPhrases(self, slots, output_channel).text(
                SOURCE_OWN_WORDS_RESPONSE
            )
            response["text"] = f"{response.get('text') or ''}\n{own}"
        return response

    def generate_from_slots(
        self,
        utter_action: str,
        filled_slots: dict[str, Any],
        output_channel: str,
        **kwargs: Any,
    ) -> dict[str, Any] | None:
        """The response for ``utter_action``, the built ones built."""
        if utter_action == referral_summary.SUMMARY_RESPONSE:
            phrases = SlotPhrases(self, filled_slots, output_channel)
            told = referral_summary.answers(situation_from_slots(filled_slots), phrases)
            if told is None:
                utter_action = referral_summary.NOTHING_TOLD_RESPONSE
            else:
                kwargs["answers"] = told
        response = super().generate_from_slots(
            utter_action, filled_slots, output_channel, **kwargs
        )
        choices = kwargs.get(ask_back.CHOICES)
        if (
            response is not None
            and utter_action == ask_back.ASK_BACK_RESPONSE
            and isinstance(choices, list)
        ):
            response["buttons"] = ask_back.buttons_for(
                response.get("buttons") or [], [str(choice) for choice in choices]
            )
        topic = article_sources.topic_of(utter_action)
        if response is not None and topic is not None:
            self._add_source(response, topic, language_of(filled_slots))
        return response

    def _add_source(self, response: dict[str, Any], topic: str, language: str) -> None:
        """Put the answer's source into the response's metadata (if it has one)."""
        source = article_sources.source_metadata(self.sources, topic, language)
        if source is not None:
            response["metadata"] = {
                **(response.get("metadata") or {}),
                "source": source,
            }
