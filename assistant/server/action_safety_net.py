"""Every message gets a reply even when the action server is down or slow.

Rasa 3.6 waits up to five minutes for a custom action and, when the action
server cannot be reached, logs the error and sends nothing: she would see
silence. ``with_safety_net`` wraps Rasa's ``RemoteAction.run`` (installed
when the server starts by ``assistant/server/rasa_patches.py``) so that a
custom action that fails or takes longer than ``timeout`` seconds
(``ACTION_SERVER_TIMEOUT_SECONDS``, default 4, ``server_settings.py``) instead:

- sends ``utter_action_server_unavailable`` (an apology and the general
  advice: get examined by doctor, midwife or physiotherapist; red flags go to
  the midwife or maternity ward now, 112 in an emergency), in her language;
- ends an active form, so FAQ answers, which need no action server, work on;
- makes the bot listen, so no further step of the failed flow runs.

While a custom action keeps the action server waiting, its message gives
its place in the admission up (``assistant/server/admission.py``).

Any failure counts, not only a connection error or a timeout: an invalid
response (``jsonschema.ValidationError``), a 400 whose body is not Rasa's
rejection JSON, an error inside Rasa's handling of the response. Only
rejections of a form's validation (HTTP 400 from the action server with the
rejection JSON) are part of normal form handling and pass through untouched.
The log says which action failed and the kind of error, never the error's
text: that can quote the conversation (a response's slots, her message).

When ``ACTION_SERVER_SECRET`` is set, every call carries it in the
``X-Action-Secret`` header (``assistant/server/action_secret.py``). Calls go
out on kept connections (``assistant/server/action_connection.py``). An action
server URL still written ``"${ACTION_SERVER_URL:-...}"`` (a plain ``rasa run``,
whose own reader leaves the quoted form as it is; the launcher expands it
before) is expanded here from the environment, on the first call.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.actions.action import (
    ActionExecutionRejection,
    RemoteAction,
    create_bot_utterance,
)
from rasa.shared.core.constants import ACTION_LISTEN_NAME, REQUESTED_SLOT
from rasa.shared.core.events import ActiveLoop, Event, FollowupAction, SlotSet

from assistant.config import environment
from assistant.server import action_secret, admission
from assistant.server.action_connection import KeptConnectionEndpoint
from knowledge.referral_answers import URGENT_SIGNS_RESPONSE

logger = logging.getLogger(__name__)

# An apology with the general advice, then the red flags (one list for all).
FALLBACK_RESPONSES = ("utter_action_server_unavailable", URGENT_SIGNS_RESPONSE)


def fallback_events(
    replies: list[dict[str, Any]], active_loop: str | None
) -> list[Event]:
    """The events that replace a failed custom action's."""
    events: list[Event] = [create_bot_utterance(dict(reply)) for reply in replies]
    if active_loop:
        events += [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]
    events.append(FollowupAction(ACTION_LISTEN_NAME))
    return events


def unvalidated_answer(tracker: Any) -> str | None:
    """The form's slot that holds an answer never validated, if any.

    When the form's validation is the action that failed, the requested slot
    still holds her raw text ("gravid"), which no response condition knows
    (utter_urgent_signs varies by ``referral_stage``).
    """
    requested = tracker.get_slot(REQUESTED_SLOT) if tracker.active_loop_name else None
    if not requested or tracker.get_slot(requested) is None:
        return None
    return str(requested)


def without_unvalidated_answer(tracker: Any) -> Any:
    """The tracker as the fallback reply sees it: an answer never validated is none.

    The reply is rendered as if she had not answered yet, on a copy; the
    fallback's events clear the slot too.
    """
    slot = unvalidated_answer(tracker)
    if slot is None:
        return tracker
    seen = tracker.copy()
    seen.update(SlotSet(slot, None))
    return seen


RemoteRun = Callable[..., Awaitable[list[Event]]]


def with_safety_net(run: RemoteRun, timeout: float, secret: str = "") -> RemoteRun:
    """Wrap ``RemoteAction.run`` with a time limit and a fallback reply.

    ``secret``, if not empty, is sent in the ``X-Action-Secret`` header.
    """

    @functools.wraps(run)
    async def run_or_fall_back(
        action: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any
    ) -> list[Event]:
        endpoint = action.action_endpoint
        if secret and endpoint is not None:
            endpoint.headers = action_secret.with_secret(endpoint.headers, secret)
        try:
            if endpoint is not None and "${" in (endpoint.url or ""):
                # Rasa's own reader (a plain `rasa run`, not the launcher) left
                # endpoints.yml's "${ACTION_SERVER_URL:-...}" as written
                endpoint.url = environment.expand(endpoint.url, os.environ)
            if endpoint is not None:  # the call on a kept connection
                action.action_endpoint = KeptConnectionEndpoint.of(endpoint)
            return await admission.outside_wait(
                asyncio.wait_for(
                    run(action, output_channel, nlg, tracker, domain), timeout
                )
            )
        except ActionExecutionRejection:
            raise
        except Exception as error:
            logger.error(
                "Custom action '%s' failed (%s); sending the fallback reply.",
                action.name(),
                type(error).__name__,
            )
            seen = without_unvalidated_answer(tracker)
            replies = [
                await nlg.generate(response, seen, output_channel.name())
                or {"text": ""}
                for response in FALLBACK_RESPONSES
            ]
            unvalidated = unvalidated_answer(tracker)
            cleared = [SlotSet(unvalidated, None)] if unvalidated else []
            return cleared + fallback_events(replies, tracker.active_loop_name)

    return run_or_fall_back
