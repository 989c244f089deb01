"""A conversation's dialogue states, worked out once per event, not per turn.

Rasa's RulePolicy featurises the **whole** history on every prediction
(``Domain.states_for_tracker_history``): it replays every event of the
conversation from the start and builds a state before each action, three
times per message. A reply at turn 200 took four times as long as one at
turn 5, for rules that look at the last few states only.

``states_of(tracker, domain)`` returns exactly what
``domain.states_for_tracker_history(tracker)`` returns (the RulePolicy's
arguments: no slot omitted, no rule-only turn hidden), but keeps its replay
with the tracker object, so the next call only replays the events added since.
The replay is continued only when that provably gives the same states:

- the tracker is the same object, its events are the same objects up to
  where the replay got (Rasa only ever appends events; a tracker read again
  from the database is a new object and starts over), and the events are not
  capped (``max_event_history``);
- none of the new events changes what Rasa counts as applied before it
  (``DialogueStateTracker.applied_events``): a restart, a new session, a
  rewind, an undo, a loop (de)activation, or a run of a loop, whose happy
  path Rasa folds into its previous run. Any of these replays from the start,
  as Rasa does; so a turn of the referral form still costs the whole history.

Nothing here keeps a conversation between messages that the tracker store
does not: the replay lives and dies with the tracker object.
"""

from __future__ import annotations

from dataclasses import dataclass

from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import ActionExecuted, Event
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.policies.tracker_history import (
    appends_only,
    applied_events,
    events_since,
    loop_names,
)

# where the replay is kept: on the tracker object itself, so it goes with it
_REPLAY_ATTRIBUTE = "_assistant_state_replay"


@dataclass
class StateReplay:
    """How far a tracker's history was replayed, and the states on the way."""

    domain: Domain
    replay: DialogueStateTracker
    events_replayed: int
    last_event: Event | None
    states_before_actions: list[State]
    loops: frozenset[str]


def states_of(tracker: DialogueStateTracker, domain: Domain) -> list[State]:
    """``domain.states_for_tracker_history(tracker)``, continuing the last replay.

    The returned list is new; its states up to the last are shared with the
    replay and must not be changed (the last one is new on every call, and is
    the one Rasa's featuriser edits).
    """
    progress = tracker.__dict__.get(_REPLAY_ATTRIBUTE)
    if progress is None or not _continue(progress, tracker, domain):
        progress = _replay_from_the_start(tracker, domain)
        tracker.__dict__[_REPLAY_ATTRIBUTE] = progress
    return [
        *progress.states_before_actions,
        domain.get_active_state(progress.replay),
    ]


def _replay_from_the_start(
    tracker: DialogueStateTracker, domain: Domain
) -> StateReplay:
    """Rasa's ``generate_all_prior_trackers``, keeping where it got to."""
    replay = tracker.init_copy()
    states: list[State] = []
    for event in applied_events(tracker):
        if isinstance(event, ActionExecuted):
            states.append(domain.get_active_state(replay))
        replay.update(event)
    events = tracker.events
    return StateReplay(
        domain=domain,
        replay=replay,
        events_replayed=len(events),
        last_event=events[-1] if events else None,
        states_before_actions=states,
        loops=loop_names(events),
    )


def _continue(
    progress: StateReplay, tracker: DialogueStateTracker, domain: Domain
) -> bool:
    """Replay the events added since; False if only a new replay is right."""
    if progress.domain is not domain:
        return False
    new_events = events_since(tracker, progress.events_replayed, progress.last_event)
    if new_events is None or not all(
        appends_only(event, progress.loops) for event in new_events
    ):
        return False
    for event in new_events:
        if isinstance(event, ActionExecuted):
            progress.states_before_actions.append(
                domain.get_active_state(progress.replay)
            )
        progress.replay.update(event)
    if new_events:
        progress.events_replayed += len(new_events)
        progress.last_event = new_events[-1]
    return True
