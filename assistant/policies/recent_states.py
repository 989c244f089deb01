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
- the new events are folded into Rasa's applied events with Rasa's own step
  (``tracker_history.next_applied``), and the replay follows: an appended
  event is applied to it; a run of a loop on its happy path, which Rasa
  folds into the loop's previous run (it takes back every action and
  message since, keeps the slots and the rest), goes back to a copy of the
  replay kept just after that previous run and applies what Rasa kept.
  So a referral check turn costs its own events, not the whole history.
  Anything else that takes events back (a restart, a new session, a
  rewind, an undo) or a loop activated for the first time replays from the
  start, as Rasa does.

Nothing here keeps a conversation between messages that the tracker store
does not: the replay lives and dies with the tracker object.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import ActionExecuted, Event
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.policies.tracker_history import (
    applied_events,
    copy,
    events_since,
    loop_names,
    next_applied,
)

# where the replay is kept: on the tracker object itself, so it goes with it
_REPLAY_ATTRIBUTE = "_assistant_state_replay"


@dataclass
class LoopRun:
    """The replay just after a loop's run, where its next happy path folds to."""

    event: Event  # the run (ActionExecuted), as it stands in ``applied``
    position: int  # its index in ``applied``
    replay: DialogueStateTracker  # a copy, never changed
    states: int  # states before actions up to and including the run's


@dataclass
class StateReplay:
    """How far a tracker's history was replayed, and the states on the way."""

    domain: Domain
    replay: DialogueStateTracker
    events_replayed: int
    last_event: Event | None
    states_before_actions: list[State]
    loops: frozenset[str]
    applied: list[Event]  # Rasa's applied events, the ones replayed
    loop_runs: dict[str, LoopRun] = field(default_factory=dict)


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
    events = tracker.events
    progress = StateReplay(
        domain=domain,
        replay=tracker.init_copy(),
        events_replayed=len(events),
        last_event=events[-1] if events else None,
        states_before_actions=[],
        loops=loop_names(events),
        applied=applied_events(tracker),
    )
    last_runs = {
        event.action_name: position
        for position, event in enumerate(progress.applied)
        if isinstance(event, ActionExecuted) and event.action_name in progress.loops
    }
    # a capped history is never continued (``events_since``): nothing to keep
    keep_at = set(last_runs.values()) if events.maxlen is None else set()
    for position, event in enumerate(progress.applied):
        _apply(progress, event, position in keep_at, position)
    return progress


def _apply(progress: StateReplay, event: Event, keep: bool, position: int) -> None:
    """Replay one applied event; ``keep``: remember the replay after it (a run)."""
    if isinstance(event, ActionExecuted):
        progress.states_before_actions.append(
            progress.domain.get_active_state(progress.replay)
        )
    progress.replay.update(event)
    if keep and isinstance(event, ActionExecuted) and event.action_name:
        progress.loop_runs[event.action_name] = LoopRun(
            event=event,
            position=position,
            replay=copy(progress.replay),
            states=len(progress.states_before_actions),
        )


def _continue(
    progress: StateReplay, tracker: DialogueStateTracker, domain: Domain
) -> bool:
    """Replay the events added since; False if only a new replay is right."""
    if progress.domain is not domain:
        return False
    new_events = events_since(tracker, progress.events_replayed, progress.last_event)
    if new_events is None:
        return False
    for event in new_events:
        step = next_applied(tracker, event, progress.applied, progress.loops)
        if step:
            run = isinstance(event, ActionExecuted) and event.action_name in (
                progress.loops
            )
            _apply(progress, event, run, len(progress.applied) - 1)
        elif step is None or not _folded_into_last_run(progress, event):
            return False
    if new_events:
        progress.events_replayed += len(new_events)
        progress.last_event = new_events[-1]
    return True


def _folded_into_last_run(progress: StateReplay, event: Event) -> bool:
    """After Rasa folded a loop's run into its previous one, replay as Rasa does.

    False (replay from the start) unless ``event`` is a loop's run and the
    previous run Rasa folded it into is the one the replay was kept after.
    """
    if not isinstance(event, ActionExecuted) or event.action_name not in (
        progress.loops
    ):
        return False
    last_run = progress.loop_runs.get(event.action_name)
    applied = progress.applied
    position = next(
        (
            index
            for index in range(len(applied) - 1, -1, -1)
            if isinstance(applied[index], ActionExecuted)
            and applied[index].action_name == event.action_name
        ),
        None,
    )
    if last_run is None or position != last_run.position:
        return False
    if applied[position] is not last_run.event:
        return False
    progress.replay = copy(last_run.replay)
    del progress.states_before_actions[last_run.states :]
    for kept in applied[position + 1 :]:  # no action or message among them
        progress.replay.update(kept)
    return True
