"""A tracker's history, worked out once per event instead of once per call.

Rasa recomputes two things from the first event of a conversation every
time it needs them, several times per message, so a reply's cost grew with the
length of the conversation:

- ``DialogueStateTracker.applied_events()``, the events minus those a
  restart, a new session, a rewind or an undo took back (twice per message:
  "is this a new session?" and "has it expired?");
- ``DialogueStateTracker.copy()``, which replays every event into a new
  tracker (once per action run: Rasa gives each action a copy);
- ``FormAction._temporary_tracker``, which replays every event since the last
  restart into a new tracker, plus the form's own (twice per referral check
  turn: to validate her answer and to ask the next question).

``applied_events`` here keeps the last answer with the tracker object and
folds the events appended since onto it with Rasa's own step
(``next_applied``: Rasa's answer is a fold over the events), so a referral
check turn, whose form run Rasa folds into its previous run, no longer
starts from the first event either; only a loop activated for the first
time does (Rasa reads earlier actions by that name anew); ``copy`` gives
the new tracker the state the replay would end in, taken from the tracker
itself, which was built by the very same replay
(``DialogueStateTracker.update`` of every event, from ``init_copy()``);
``temporary_tracker`` is such a copy with the form's events applied, when
the replay would start at the first event (no restart) with the domain's
slots. All fall back to Rasa's own code when the events are
capped (``max_event_history``), where the replay of the kept events is not
the tracker's state. ``tests/unit/test_tracker_history.py`` compares each
with Rasa's on conversations with forms, rewinds, restarts and sessions.
Installed by ``assistant/server/rasa_patches.py``.
"""

from __future__ import annotations

import copy as copying
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

from rasa.core.actions.forms import FormAction
from rasa.shared.constants import DEFAULT_SENDER_ID
from rasa.shared.core.constants import REQUESTED_SLOT
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.slots import Slot
from rasa.shared.core.trackers import DialogueStateTracker

# Rasa's own, kept before the patches replace them
rasa_applied_events: Callable[[DialogueStateTracker], list[Event]] = (
    DialogueStateTracker.applied_events
)
rasa_copy: Callable[[DialogueStateTracker], DialogueStateTracker] = (
    DialogueStateTracker.copy
)
rasa_temporary_tracker: Callable[
    [FormAction, DialogueStateTracker, list[Event], Domain], DialogueStateTracker
] = FormAction._temporary_tracker


_APPLIED_ATTRIBUTE = "_assistant_applied_events"


def loop_names(events: object) -> frozenset[str]:
    """The loops (forms) a history ever activates, as Rasa's undo sees them."""
    return frozenset(
        event.name
        for event in events  # type: ignore[attr-defined]
        if isinstance(event, ActiveLoop) and event.name
    )


def next_applied(
    tracker: DialogueStateTracker,
    event: Event,
    applied: list[Event],
    loops: frozenset[str],
) -> bool | None:
    """Rasa's ``applied_events`` step for one more ``event``, on ``applied``.

    Rasa's ``DialogueStateTracker.applied_events`` is a fold over the events
    with the names of every loop the history activates; this is its step,
    with Rasa's own helpers, so folding the new events on from the last
    answer gives Rasa's answer. True: ``event`` was appended, nothing taken
    back. False: the step took events back (a restart, a new session, a
    rewind, an undo, or a loop's run on its happy path, folded into its
    previous run). None, with ``applied`` unchanged: only a fold from the
    first event is right, since ``event`` activates a loop not in ``loops``
    and Rasa reads every earlier run of an action by that name anew.
    """
    if isinstance(event, (Restarted, SessionStarted)):
        applied.clear()
        return False
    if isinstance(event, ActionReverted):
        DialogueStateTracker._undo_till_previous(ActionExecuted, applied)
        return False
    if isinstance(event, UserUtteranceReverted):
        DialogueStateTracker._undo_till_previous(UserUttered, applied)
        DialogueStateTracker._undo_till_previous(ActionExecuted, applied)
        return False
    if isinstance(event, ActiveLoop) and event.name and event.name not in loops:
        return None
    if (
        isinstance(event, ActionExecuted)
        and event.action_name in loops
        and not tracker._first_loop_execution_or_unhappy_path(
            event.action_name, applied
        )
    ):
        DialogueStateTracker._undo_till_previous_loop_execution(
            event.action_name, applied
        )
        return False
    applied.append(event)
    return True


def events_since(
    tracker: DialogueStateTracker, count: int, last: Event | None
) -> list[Event] | None:
    """The events after the first ``count``, if those are still the same.

    None if the tracker's history is not the one ``count`` and ``last``
    describe (another tracker's, cut short, capped, or rebuilt with other
    events): Rasa only ever appends, so the same last object at the same
    place means the same history before it.
    """
    events = tracker.events
    if events.maxlen is not None or len(events) < count:
        return None
    if count and events[count - 1] is not last:
        return None
    return list(islice(events, count, None))


@dataclass
class AppliedEvents:
    """Rasa's applied events of a tracker's first ``events_seen`` events."""

    events_seen: int
    last_event: Event | None
    applied: list[Event]
    loops: frozenset[str]


def applied_events(tracker: DialogueStateTracker) -> list[Event]:
    """``DialogueStateTracker.applied_events``, folded on since the last call."""
    if tracker.events.maxlen is not None:
        return rasa_applied_events(tracker)
    known: AppliedEvents | None = tracker.__dict__.get(_APPLIED_ATTRIBUTE)
    new_events = (
        None
        if known is None
        else events_since(tracker, known.events_seen, known.last_event)
    )
    if (
        known is None
        or new_events is None
        or any(
            next_applied(tracker, event, known.applied, known.loops) is None
            for event in new_events
        )
    ):
        events = tracker.events
        known = AppliedEvents(
            events_seen=len(events),
            last_event=events[-1] if events else None,
            applied=rasa_applied_events(tracker),
            loops=loop_names(events),
        )
        tracker.__dict__[_APPLIED_ATTRIBUTE] = known
    elif new_events:
        known.events_seen += len(new_events)
        known.last_event = new_events[-1]
    return list(known.applied)


_PLAIN_CLASSES: dict[type, bool] = {}


def _slot_names(cls: type) -> set[str]:
    """The attributes ``cls`` keeps in ``__slots__`` (ABC's empty ones: none)."""
    declared = vars(cls).get("__slots__", ())
    names = {declared} if isinstance(declared, str) else set(declared)
    return names - {"__dict__", "__weakref__"}


def _copied_by_its_dict(cls: type) -> bool:
    """Whether ``copy.copy`` of a ``cls`` object is a new one with its ``__dict__``.

    It is for a class that changes none of the copy protocol: no ``__new__``,
    ``__copy__``, ``__reduce_ex__``, ``__reduce__``, ``__getstate__``,
    ``__setstate__`` or attributes in ``__slots__`` (as Rasa's slot types).
    """
    plain = _PLAIN_CLASSES.get(cls)
    if plain is None:
        plain = (
            cls.__new__ is object.__new__
            and cls.__reduce_ex__ is object.__reduce_ex__
            and cls.__reduce__ is object.__reduce__
            and not any(
                hasattr(cls, name)
                for name in ("__copy__", "__getstate__", "__setstate__")
            )
            and not any(_slot_names(base) for base in cls.__mro__)
        )
        _PLAIN_CLASSES[cls] = plain
    return plain


def slot_copy(slot: Slot) -> Slot:
    """``copy.copy(slot)``, without the copy protocol's detour for a plain class."""
    cls = type(slot)
    if not _copied_by_its_dict(cls):
        return copying.copy(slot)
    duplicate: Slot = object.__new__(cls)
    duplicate.__dict__.update(slot.__dict__)
    return duplicate


def copy(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """``DialogueStateTracker.copy``, without replaying every event.

    The new tracker holds the same events and the state their replay ends
    in, which is the tracker's own: every attribute ``Event.apply_to`` sets.
    """
    if tracker.events.maxlen is not None:
        return rasa_copy(tracker)
    # init_copy() without its copies of the slots, which are replaced below
    duplicate = DialogueStateTracker(
        tracker.sender_id or DEFAULT_SENDER_ID,
        None,
        tracker._max_event_history,
        is_rule_tracker=tracker.is_rule_tracker,
    )
    duplicate.events.extend(tracker.events)
    duplicate.slots = {name: slot_copy(slot) for name, slot in tracker.slots.items()}
    duplicate._paused = tracker._paused
    duplicate.followup_action = tracker.followup_action
    duplicate.latest_action = (
        dict(tracker.latest_action) if tracker.latest_action is not None else None
    )
    duplicate.latest_message = tracker.latest_message
    duplicate.latest_bot_utterance = tracker.latest_bot_utterance
    duplicate.active_loop = (
        copying.copy(tracker.active_loop) if tracker.active_loop is not None else None
    )
    return duplicate


def temporary_tracker(
    form: FormAction,
    current_tracker: DialogueStateTracker,
    additional_events: list[Event],
    domain: Domain,
) -> DialogueStateTracker:
    """``FormAction._temporary_tracker``, a copy instead of a replay.

    Rasa's is a new tracker with the domain's slots and the replay of the
    events since the last restart, then the form's requested slot, its run
    and ``additional_events``. With no restart in the events and the
    domain's slots in the tracker, that replay ends in the tracker's own
    state: its copy, with the same events applied after.
    """
    if (
        current_tracker.events.maxlen is not None
        or current_tracker.idx_after_latest_restart() > 0
        or current_tracker.slots.keys() != {slot.name for slot in domain.slots}
    ):
        return rasa_temporary_tracker(form, current_tracker, additional_events, domain)
    temporary = copy(current_tracker)
    temporary.update(SlotSet(REQUESTED_SLOT, form.get_slot_to_fill(current_tracker)))
    temporary.update(ActionExecuted(form.name()))
    for event in additional_events:
        temporary.update(event)
    return temporary
