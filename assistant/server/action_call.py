"""What a custom action call carries of the domain, and the domain's emptiness.

With ``enable_selective_domain`` (endpoints.yml) Rasa sends the domain only to
the custom actions that declare ``send_domain: true`` in domain.yml, and to
every form validation action (``validate_<form>``), always and whole. Of this
domain's 90 KB, 87 KB are its responses in two languages, which a validation
action never reads: rasa-sdk's ``FormValidationAction`` reads the form's
required slots and the slots, and the actions send responses by name for Rasa
to render. Every referral check turn wrote those 87 KB as JSON (0.26 ms of the
Rasa server's CPU) and the action server parsed and checked them (a third of
its CPU in the bench).

Rasa also sends every call the conversation's every event
(``EventVerbosity.ALL``), so a validation call grew with the conversation: at
the bench conversation's check turns, 40-60 events, whose dicts and JSON took
0.4 ms of the Rasa server's CPU and whose parse took the action server as
long again (a call 2.3 -> 1.75 ms, measured in-process). What rasa-sdk's
``FormValidationAction`` reads of them is what happened since her last
message: the slot values Rasa appends after it for validation
(``Tracker.slots_to_validate``, the trailing ``slot`` events) and her input
channel (``get_latest_input_channel``, her last ``user`` event); the slots,
her latest message and the active form come whole in the tracker's own
fields, and the project's validation reads nothing else
(``actions/referral/form.py``: ``latest_message``).

The project's other custom actions (``actions/``) read the slots and her
latest message, never the history (a test of ``actions/`` checks that none
of them reads events), but Rasa sent them every event too: the referral
advice at the end of the bench conversation's check took 78 events, 37 KB of
JSON, and would take some 800 after 200 messages, so its cost grew with the
conversation. They get the events from her last message on as well.

``action_call_format`` replaces ``RemoteAction._action_call_format``
(``assistant/server/rasa_patches.py``): Rasa's call, except that an action
that does not declare ``send_domain: true`` gets the events from her last
message on (``events_since_her_last_message``), and a validation action of
those the domain without its responses. An action that declares it (the
ask-back, which reads the responses) and a deployment without the selective
domain get what Rasa sends.

``is_empty`` replaces ``Domain.is_empty``, which Rasa calls twice for every
message (``MessageProcessor._check_for_unseen_features``) and which built a
whole new empty ``Domain`` each time to compare with (2 % of the server's
CPU in the bench): the same comparison with the empty domain's dict built
once.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable
from typing import Any

import rasa
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.constants import ACTIVE_LOOP, FOLLOWUP_ACTION
from rasa.shared.core.domain import KEY_RESPONSES, Domain
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

rasa_action_call_format = RemoteAction._action_call_format
rasa_is_empty = Domain.is_empty

VALIDATION_ACTION_PREFIX = "validate_"  # as Rasa's domain recognises them
SEND_DOMAIN = "send_domain"


def declares_send_domain(domain: dict[str, Any], action_name: str) -> bool:
    """Whether domain.yml's ``actions`` give ``action_name`` ``send_domain: true``."""
    for action in domain.get("actions") or []:
        if isinstance(action, dict) and action_name in action:
            return bool((action[action_name] or {}).get(SEND_DOMAIN))
    return False


def domain_for_call(domain: dict[str, Any], action_name: str) -> dict[str, Any]:
    """What a call to ``action_name`` carries of ``domain`` (which Rasa would send)."""
    if not action_name.startswith(VALIDATION_ACTION_PREFIX) or declares_send_domain(
        domain, action_name
    ):
        return domain
    return {key: value for key, value in domain.items() if key != KEY_RESPONSES}


def events_since_her_last_message(events: Iterable[Event]) -> list[Event]:
    """The events from her last message on (all of them if she sent none)."""
    kept: list[Event] = []
    for event in reversed(list(events)):
        kept.append(event)
        if isinstance(event, UserUttered):
            break
    kept.reverse()
    return kept


def tracker_state(
    tracker: DialogueStateTracker, events: Iterable[Event]
) -> dict[str, Any]:
    """Rasa's ``DialogueStateTracker.current_state``, with these ``events``.

    The same keys and values, except that the active form's fields are taken
    as they are: Rasa's ``dataclasses.asdict`` deep-copies the message that
    started the form (its whole parse, every intent's confidence) on every
    call, 0.26 ms, for a value that is only written as JSON.
    """
    loop = tracker.active_loop
    fields = dataclasses.fields(loop) if loop else ()
    return {
        "sender_id": tracker.sender_id,
        "slots": tracker.current_slot_values(),
        "latest_message": tracker._latest_message_data(),
        "latest_event_time": tracker.events[-1].timestamp if tracker.events else None,
        FOLLOWUP_ACTION: tracker.followup_action,
        "paused": tracker.is_paused(),
        "events": [event.as_dict() for event in events],
        "latest_input_channel": tracker.get_latest_input_channel(),
        ACTIVE_LOOP: {field.name: getattr(loop, field.name) for field in fields},
        "latest_action": tracker.latest_action,
        "latest_action_name": tracker.latest_action_name,
    }


def action_call_format(
    self: RemoteAction, tracker: DialogueStateTracker, domain: Domain
) -> dict[str, Any]:
    """``RemoteAction._action_call_format``; this turn's events unless declared."""
    name = self.name()
    selective = self._is_selective_domain_enabled()
    whole = (
        domain.as_dict()
        if not selective or domain.does_custom_action_explicitly_need_domain(name)
        else None
    )
    # an action that declares send_domain gets all Rasa sends (the ask-back)
    this_turn_only = selective and not (
        whole is not None and declares_send_domain(whole, name)
    )
    events = (
        events_since_her_last_message(tracker.events)
        if this_turn_only
        else tracker.events
    )
    call: dict[str, Any] = {
        "next_action": name,
        "sender_id": tracker.sender_id,
        "tracker": tracker_state(tracker, events),
        "version": rasa.__version__,
    }
    if whole is not None:
        call["domain"] = domain_for_call(whole, name) if selective else whole
    return call


@functools.lru_cache(maxsize=1)
def _empty_domain() -> dict[str, Any]:
    return Domain.empty().as_dict()


def is_empty(self: Domain) -> bool:
    """``Domain.is_empty``: the same comparison, the empty domain built once."""
    return bool(self.as_dict() == _empty_domain())
