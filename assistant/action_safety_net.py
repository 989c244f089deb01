"""Every message gets a reply even when the action server is down or slow.

Rasa 3.6 waits up to five minutes for a custom action and, when the action
server cannot be reached, logs the error and sends nothing: she would see
silence. ``ActionServerSafetyNet`` is a policy that never predicts anything;
loading it (with the model, in the Rasa server) wraps Rasa's ``RemoteAction``
so that a custom action that fails or takes longer than ``timeout`` seconds
instead:

- sends ``utter_action_server_unavailable`` (an apology and the general
  advice: get examined by doctor, midwife or physiotherapist; red flags go to
  the midwife or maternity ward now, 112 in an emergency), in her language;
- ends an active form, so FAQ answers, which need no action server, work on;
- makes the bot listen, so no further step of the failed flow runs.

Loading it also installs the response check built once
(``assistant/action_response_check.py``) and the admission of messages, a
few at a time in arrival order (``assistant/admission.py``); a custom action
that keeps the action server waiting gives its message's place up meanwhile.

Rejections of a form's validation (HTTP 400 from the action server) are part
of normal form handling and pass through untouched.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from rasa.core.actions.action import (
    ActionExecutionRejection,
    RemoteAction,
    create_bot_utterance,
)
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME, REQUESTED_SLOT
from rasa.shared.core.events import ActiveLoop, Event, FollowupAction, SlotSet
from rasa.shared.exceptions import RasaException

from assistant import action_response_check, admission
from assistant.silent_policy import SilentPolicy

logger = logging.getLogger(__name__)

# An apology with the general advice, then the red flags (one list for all).
FALLBACK_RESPONSES = ("utter_action_server_unavailable", "utter_urgent_signs")
DEFAULT_TIMEOUT_SECONDS = 4.0
TIMEOUT_ENVIRONMENT_VARIABLE = "ACTION_SERVER_TIMEOUT_SECONDS"
_FAILURES = (asyncio.TimeoutError, RasaException, aiohttp.ClientError, OSError)


def fallback_events(
    replies: list[dict[str, Any]], active_loop: str | None
) -> list[Event]:
    """The events that replace a failed custom action's."""
    events: list[Event] = [create_bot_utterance(dict(reply)) for reply in replies]
    if active_loop:
        events += [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]
    events.append(FollowupAction(ACTION_LISTEN_NAME))
    return events


RemoteRun = Callable[..., Awaitable[list[Event]]]


def with_safety_net(run: RemoteRun, timeout: float) -> RemoteRun:
    """Wrap ``RemoteAction.run`` with a time limit and a fallback reply."""

    @functools.wraps(run)
    async def run_or_fall_back(
        action: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any
    ) -> list[Event]:
        try:
            return await admission.outside_wait(
                asyncio.wait_for(
                    run(action, output_channel, nlg, tracker, domain), timeout
                )
            )
        except ActionExecutionRejection:
            raise
        except _FAILURES as error:
            logger.error(
                "Custom action '%s' failed (%s: %s); sending the fallback reply.",
                action.name(),
                type(error).__name__,
                error,
            )
            replies = [
                await nlg.generate(response, tracker, output_channel.name())
                or {"text": ""}
                for response in FALLBACK_RESPONSES
            ]
            return fallback_events(replies, tracker.active_loop_name)

    run_or_fall_back.__safety_net__ = True  # type: ignore[attr-defined]
    return run_or_fall_back


def install(timeout: float) -> None:
    """Put the safety net around every custom action (once per process)."""
    if getattr(RemoteAction.run, "__safety_net__", False):
        return
    RemoteAction.run = with_safety_net(RemoteAction.run, timeout)


def configured_timeout(config: dict[str, Any]) -> float:
    """The time limit: the environment variable, else the config, else 4 s."""
    value = os.environ.get(TIMEOUT_ENVIRONMENT_VARIABLE) or config.get("timeout")
    try:
        return float(value) if value else DEFAULT_TIMEOUT_SECONDS
    except ValueError:
        return DEFAULT_TIMEOUT_SECONDS


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT,
    is_trainable=False,
)
class ActionServerSafetyNet(SilentPolicy):
    """Installs the safety net when the model loads; never predicts an action."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Lowest priority; custom actions get ``timeout`` seconds."""
        return {
            "priority": 0,
            "timeout": DEFAULT_TIMEOUT_SECONDS,
            "max_concurrent_messages": admission.DEFAULT_LIMIT,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Any = None,
    ) -> None:
        """Install the safety net, response check and admission (this process)."""
        super().__init__(config, model_storage, resource, execution_context, featurizer)
        install(configured_timeout(config))
        action_response_check.install()
        admission.install(admission.configured_limit(config))
