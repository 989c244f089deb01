"""Which variations of a response fit her channel and slots, as Rasa picks them.

Rasa's templated generator builds a ``ResponseVariationFilter`` for every
response it renders and filters the response's variations six times: those
without a condition, those whose condition her slots meet, and each of the
two by channel. Then ``np.random.choice`` picks one, which converts the list
of dictionaries into a NumPy object array first (6.7 us a pick, against
0.4 us for ``random.choice``). Under ten conversations that was 3.5 % of the
Rasa server's CPU (py-spy): the referral summary renders a dozen pieces a
reply.

``ResponseVariations`` splits a response's variations once per output channel
(the split depends on nothing else) and leaves only the condition check to
each pick. The rule is Rasa's, in Rasa's order
(``rasa/core/nlg/generator.py``, ``responses_for_utter_action``): a
variation whose condition her slots meet and that names her channel; else
one without a condition naming her channel; else one whose condition is met
and that names no channel; else one without a condition naming no channel.
A unit test holds it to Rasa's filter for every response of the domain.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.shared.constants import CHANNEL, RESPONSE_CONDITION

Variation = dict[str, Any]


class ChannelVariations:
    """One response's variations for one output channel, split as Rasa splits them."""

    def __init__(self, variations: Sequence[Variation], output_channel: str) -> None:
        """Split ``variations`` (the domain's list) for ``output_channel``."""
        unconditional = [v for v in variations if v.get(RESPONSE_CONDITION) is None]
        # Rasa's test is truthiness: an empty condition is in neither group
        self.conditional = [v for v in variations if v.get(RESPONSE_CONDITION)]
        self.unconditional_on_channel = [
            v for v in unconditional if v.get(CHANNEL) == output_channel
        ]
        self.unconditional_any_channel = [
            v for v in unconditional if v.get(CHANNEL) is None
        ]
        self.output_channel = output_channel

    def suitable(self, filled_slots: dict[str, Any]) -> list[Variation]:
        """The variations Rasa's filter returns for these slots."""
        met = [
            v
            for v in self.conditional
            if ResponseVariationFilter._matches_filled_slots(
                filled_slots=filled_slots, response=v
            )
        ]
        on_channel = [v for v in met if v.get(CHANNEL) == self.output_channel]
        if on_channel:
            return on_channel
        if self.unconditional_on_channel:
            return self.unconditional_on_channel
        any_channel = [v for v in met if v.get(CHANNEL) is None]
        if any_channel:
            return any_channel
        return self.unconditional_any_channel


class ResponseVariations:
    """The domain's responses, each split once per output channel it is asked for."""

    def __init__(self, responses: Mapping[str, Sequence[Variation]]) -> None:
        """Over ``responses`` (the generator's own mapping, read as it is now)."""
        self.responses = responses
        # (response, channel) -> (the variations list it was split from, split)
        self._split: dict[
            tuple[str, str], tuple[Sequence[Variation], ChannelVariations]
        ] = {}

    def suitable(
        self, utter_action: str, output_channel: str, filled_slots: dict[str, Any]
    ) -> list[Variation]:
        """Rasa's suitable variations of ``utter_action`` ([] if it has none)."""
        variations = self.responses.get(utter_action)
        if variations is None:
            return []
        key = (utter_action, output_channel)
        known = self._split.get(key)
        # the list itself is the key's check: a response replaced is split anew
        if known is None or known[0] is not variations:
            known = (variations, ChannelVariations(variations, output_channel))
            self._split[key] = known
        return known[1].suitable(filled_slots)


def pick(suitable: Sequence[Variation]) -> Variation:
    """One of the suitable variations, each as likely (Rasa: ``np.random.choice``)."""
    return random.choice(suitable)
