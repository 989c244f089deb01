"""The tracker's history worked out per event gives exactly Rasa's answers.

``assistant/policies/tracker_history.py`` (applied events, copy) and
``assistant/policies/recent_states.py`` (RulePolicy's states) keep what they
worked out with the tracker object and continue it as events are appended.
Here one tracker grows event by event through a conversation with everything
that makes Rasa take history back (a form's happy path folded into its last
run, a rejected form, a rewind, an undo, a restart, a new session, a pause,
capped events), and after every event each answer is compared with Rasa's
own, computed from the first event.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from rasa.core.actions.forms import FormAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    DefinePrevUserUtteredFeaturization,
    EntitiesAdded,
    Event,
    FollowupAction,
    LoopInterrupted,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.slots import (
    AnySlot,
    BooleanSlot,
    CategoricalSlot,
    FloatSlot,
    ListSlot,
    Slot,
    TextSlot,
)
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.policies import tracker_history
from assistant.policies.recent_states import states_of

ROOT = Path(__file__).resolve().parents[2]
FORM = "referral_form"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


def _said(text: str, intent: str, entities: list[dict[str, Any]] | None = None):
    return UserUttered(
        text,
        {"name": intent, "confidence": 1.0},
        entities or [],
    )


def _turn(text: str, intent: str, answer: str) -> list[Event]:
    """Her message and an answer, as Rasa's processor logs them."""
    return [
        _said(text, intent),
        DefinePrevUserUtteredFeaturization(False),
        ActionExecuted(answer),
        BotUttered(f"{answer} text"),
        ActionExecuted("action_listen"),
    ]


def _greeted() -> list[Event]:
    """A new session, and her greeting answered."""
    return [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        *_turn("Hej", "greet", "utter_greet"),
    ]


def _form_activated() -> list[Event]:
    """She asks for the referral check; the form starts and asks its first."""
    return [
        _said("Jeg har ondt", "ask_referral"),
        ActionExecuted(FORM),
        ActiveLoop(FORM),
        SlotSet("requested_slot", "referral_stage"),
        BotUttered("Hvor langt er du?"),
        ActionExecuted("action_listen"),
    ]


def conversation() -> list[Event]:
    """Every kind of event that changes what Rasa counts as applied."""
    events: list[Event] = [
        *_greeted(),
        _said("Hvad er bækkenløsning?", "faq"),
        SlotSet("language", "da"),
        DefinePrevUserUtteredFeaturization(False),
        ActionExecuted("utter_faq"),
        BotUttered("svar"),
        ActionExecuted("action_listen"),
        # the referral form: activated, a happy path Rasa folds, a rejection
        *_form_activated(),
        _said("uge 30", "inform", [{"entity": "number", "value": 30}]),
        EntitiesAdded([{"entity": "week", "value": "30"}]),
        ActionExecuted(FORM),
        SlotSet("referral_stage", "pregnant"),
        SlotSet("requested_slot", "pain_level"),
        ActionExecuted("action_listen"),
        _said("hvad er det?", "faq"),
        ActionExecutionRejected(FORM),
        LoopInterrupted(True),
        ActionExecuted("utter_faq"),
        ActionExecuted(FORM),
        SlotSet("pain_level", "4"),
        ActiveLoop(None),
        SlotSet("requested_slot", None),
        ActionExecuted("action_referral_advice"),
        BotUttered("råd"),
        ActionExecuted("action_listen"),
        # a rewind and an undo
        *_turn("øh", "nlu_fallback", "utter_ask_rephrase"),
        UserUtteranceReverted(),
        *_turn("Hjælper træning?", "faq", "utter_faq"),
        ActionReverted(),
        FollowupAction("utter_help"),
        ActionExecuted("utter_help"),
        ActionExecuted("action_listen"),
        ConversationPaused(),
        ConversationResumed(),
        *_turn("does core training help?", "faq", "utter_faq"),
        AllSlotsReset(),
        *_turn("thanks", "thank", "utter_you_are_welcome"),
        # a restart, and a new session with a slot carried over
        _said("/restart", "restart"),
        ActionExecuted("action_restart"),
        Restarted(),
        ActionExecuted("action_session_start"),
        SessionStarted(),
        SlotSet("language", "en"),
        ActionExecuted("action_listen"),
    ]
    events += [e for n in range(12) for e in _turn(f"q{n}", "faq", "utter_faq")]
    return events


OTHER_FORM = "other_form"


def _form_turn(text: str, slot: str, value: Any, next_slot: str | None) -> list[Event]:
    """Her answer to the form, as Rasa logs a turn the form goes on with."""
    return [
        _said(text, "inform"),
        DefinePrevUserUtteredFeaturization(False),
        ActionExecuted(FORM),
        SlotSet(slot, value),
        SlotSet("requested_slot", next_slot),
        BotUttered(f"ask {next_slot}"),
        ActionExecuted("action_listen"),
    ]


def form_conversation() -> list[Event]:
    """Many turns of forms: happy paths Rasa folds, and what breaks a fold."""
    events: list[Event] = [
        *_greeted(),
        *_form_activated(),
    ]
    for n in range(4):  # happy path: each run folded into the first
        events += _form_turn(f"svar {n}", "referral_stage", f"s{n}", "pain_level")
    events += [  # an unhappy path: the run after it is a run of its own
        _said("hvad er det?", "faq"),
        ActionExecutionRejected(FORM),
        LoopInterrupted(True),
        ActionExecuted("utter_faq"),
        BotUttered("svar"),
        ActionExecuted(FORM),
        SlotSet("requested_slot", "pain_level"),
        BotUttered("ask pain_level"),
        ActionExecuted("action_listen"),
        *_form_turn("4", "pain_level", 4.0, "pain_level"),
        *_form_turn("5", "pain_level", 5.0, "pain_level"),
        # an undo right after a run, and a rewind of a form turn
        _said("6", "inform"),
        ActionExecuted(FORM),
        ActionReverted(),
        ActionExecuted(FORM),
        SlotSet("pain_level", 6.0),
        ActionExecuted("action_listen"),
        *_form_turn("7", "pain_level", 7.0, "pain_level"),
        UserUtteranceReverted(),
        *_form_turn("8", "pain_level", 8.0, None),
        ActiveLoop(None),
        ActionExecuted("action_referral_advice"),
        BotUttered("råd"),
        ActionExecuted("action_listen"),
        # another form, activated for the first time late in the history
        _said("noget andet", "other"),
        ActionExecuted(OTHER_FORM),
        ActiveLoop(OTHER_FORM),
        ActionExecuted("action_listen"),
        _said("ja", "affirm"),
        ActionExecuted(OTHER_FORM),
        SlotSet("language", "da"),
        ActionExecuted("action_listen"),
        _said("ja", "affirm"),
        ActionExecuted(OTHER_FORM),
        ActiveLoop(None),
        ActionExecuted("action_listen"),
        # the first form again: a new run after its deactivation, then folds
        _said("Jeg har ondt igen", "ask_referral"),
        ActionExecuted(FORM),
        ActiveLoop(FORM),
        SlotSet("requested_slot", "referral_stage"),
        ActionExecuted("action_listen"),
    ]
    for n in range(3):
        events += _form_turn(f"igen {n}", "referral_stage", f"t{n}", "pain_level")
    return events


def _without_time(event: Event | None) -> dict[str, Any] | None:
    """An event's fields (an empty message made now has another timestamp)."""
    if event is None:
        return None
    fields = event.as_dict()
    fields.pop("timestamp", None)
    return fields


def snapshot(tracker: DialogueStateTracker) -> dict[str, Any]:
    """Everything an event can set on a tracker, comparable."""
    return {
        "events": [id(event) for event in tracker.events],
        "slots": {
            name: (slot.value, slot.has_been_set)
            for name, slot in tracker.slots.items()
        },
        "paused": tracker.is_paused(),
        "followup_action": tracker.followup_action,
        "latest_action": tracker.latest_action,
        "latest_message": _without_time(tracker.latest_message),
        "latest_bot_utterance": _without_time(tracker.latest_bot_utterance),
        "active_loop": tracker.active_loop,
        "state": tracker.current_state(),
    }


def growing(domain: Domain, max_event_history: int | None = None, events=None):
    """One tracker, after each event of the conversation in turn."""
    tracker = DialogueStateTracker(
        "her", domain.slots, max_event_history=max_event_history
    )
    for event in conversation() if events is None else events:
        tracker.update(event, domain)
        yield tracker


@pytest.mark.parametrize("cap", [None, 7])
def test_applied_events_are_rasas_after_every_event(domain, cap):
    for tracker in growing(domain, cap):
        ours = tracker_history.applied_events(tracker)
        rasas = tracker_history.rasa_applied_events(tracker)
        assert [id(event) for event in ours] == [id(event) for event in rasas]
        ours.append(ActionExecuted("changed by a caller"))  # a copy each time
        assert len(tracker_history.applied_events(tracker)) == len(rasas)


@pytest.mark.parametrize("cap", [None, 7])
def test_a_copy_is_rasas_copy_after_every_event(domain, cap):
    for tracker in growing(domain, cap):
        ours = tracker_history.copy(tracker)
        assert snapshot(ours) == snapshot(tracker_history.rasa_copy(tracker))
        assert ours is not tracker and ours.events is not tracker.events
        ours.update(SlotSet("language", "da"))  # independent of the original
        ours.update(ActiveLoop(FORM))
        assert ours.get_slot("language") == "da" and ours.active_loop_name == FORM
        assert snapshot(tracker_history.copy(tracker)) == snapshot(
            tracker_history.rasa_copy(tracker)
        )


def comparable(tracker: DialogueStateTracker) -> dict[str, Any]:
    """``snapshot``, with the events by their fields (the form's are new)."""
    seen = snapshot(tracker)
    seen["events"] = [_without_time(event) for event in tracker.events]
    seen["state"]["latest_event_time"] = None
    seen["sender_id"] = tracker.sender_id
    seen["rule_tracker"] = tracker.is_rule_tracker
    return seen


@pytest.mark.parametrize("cap", [None, 7])
def test_the_forms_temporary_tracker_is_rasas_after_every_event(domain, cap):
    form = FormAction(FORM, None)
    answer = [SlotSet("referral_stage", "gravid"), SlotSet("pain_level", 5.0)]
    restarted = False
    for tracker in growing(domain, cap):
        restarted = restarted or isinstance(tracker.events[-1], Restarted)
        before = comparable(tracker)
        for extra in ([], answer):
            ours = tracker_history.temporary_tracker(form, tracker, extra, domain)
            rasas = tracker_history.rasa_temporary_tracker(form, tracker, extra, domain)
            assert comparable(ours) == comparable(rasas)
            assert comparable(tracker) == before  # the original unchanged
    assert restarted  # the conversation has a restart (Rasa's own code after it)


def test_the_temporary_tracker_is_a_copy_without_a_restart(domain, monkeypatch):
    replayed = []
    monkeypatch.setattr(
        tracker_history,
        "rasa_temporary_tracker",
        lambda *arguments: replayed.append(arguments),
    )
    tracker = DialogueStateTracker.from_events(
        "her", conversation()[:40], slots=domain.slots
    )
    assert not any(isinstance(e, Restarted) for e in tracker.events)
    temporary = tracker_history.temporary_tracker(
        FormAction(FORM, None), tracker, [], domain
    )
    assert not replayed and temporary.sender_id == "her"
    assert [_without_time(e) for e in list(temporary.events)[-2:]] == [
        _without_time(SlotSet("requested_slot", None)),
        _without_time(ActionExecuted(FORM)),
    ]
    assert len(tracker.events) == 40


def test_a_copy_owns_its_slots_and_form_state(domain):
    events = conversation()
    stage_known = next(
        number
        for number, event in enumerate(events)
        if isinstance(event, SlotSet) and event.key == "referral_stage"
    )
    tracker = DialogueStateTracker.from_events(
        "her", events[: stage_known + 1], domain.slots, domain=domain
    )
    assert tracker.active_loop_name == FORM
    duplicate = tracker_history.copy(tracker)
    duplicate.update(ActionExecutionRejected(FORM))
    duplicate.update(SlotSet("referral_stage", "postpartum"))
    assert not tracker.is_active_loop_rejected
    assert tracker.get_slot("referral_stage") == "pregnant"


@pytest.mark.parametrize("cap", [None, 7])
def test_rule_states_are_rasas_after_every_event(domain, cap):
    for tracker in growing(domain, cap):
        assert states_of(tracker, domain) == domain.states_for_tracker_history(tracker)


def test_applied_events_and_rule_states_are_rasas_through_many_form_turns(domain):
    for tracker in growing(domain, events=form_conversation()):
        ours = tracker_history.applied_events(tracker)
        rasas = tracker_history.rasa_applied_events(tracker)
        assert [id(event) for event in ours] == [id(event) for event in rasas]
        assert states_of(tracker, domain) == domain.states_for_tracker_history(tracker)


def test_a_form_turn_replays_only_its_own_events(domain, monkeypatch):
    """Rasa folds a form's happy path into its last run: no replay from the start."""
    from assistant.policies import recent_states

    starts: list[int] = []
    rasa_folds: list[int] = []
    replay = recent_states._replay_from_the_start
    fold = tracker_history.rasa_applied_events

    def counted_replay(tracker, domain):
        starts.append(len(tracker.events))
        return replay(tracker, domain)

    def counted_fold(tracker):
        rasa_folds.append(len(tracker.events))
        return fold(tracker)

    monkeypatch.setattr(recent_states, "_replay_from_the_start", counted_replay)
    monkeypatch.setattr(tracker_history, "rasa_applied_events", counted_fold)
    events = form_conversation()
    ended = next(
        n
        for n, event in enumerate(events)
        if isinstance(event, ActionExecutionRejected)
    )
    for tracker in growing(domain, events=events[:ended]):
        states_of(tracker, domain)
        tracker_history.applied_events(tracker)
    # at the first event, at the new session (the states alone: it takes the
    # history back) and as the form is activated (a new loop name: Rasa reads
    # the actions before it by that name anew); none after, through four
    # turns of the form that Rasa each folds into its first run
    activated = events.index(ActiveLoop(FORM)) + 1
    assert starts == [1, 2, activated]
    assert rasa_folds == [1, activated]
    folded_runs = [
        event
        for event in events[activated:ended]
        if isinstance(event, ActionExecuted) and event.action_name == FORM
    ]
    assert len(folded_runs) == 4


def test_a_capped_history_keeps_no_copy_of_its_replay(domain, monkeypatch):
    """Never continued (its first events are gone), so nothing is kept for it."""
    from assistant.policies import recent_states

    copies: list[object] = []

    def counted_copy(tracker):
        copies.append(tracker)
        return tracker_history.copy(tracker)

    monkeypatch.setattr(recent_states, "copy", counted_copy)
    for tracker in growing(domain, 7, events=form_conversation()):
        states_of(tracker, domain)
    assert copies == []
    for tracker in growing(domain, events=form_conversation()):
        states_of(tracker, domain)
    assert copies  # uncapped: a copy after each loop's last run


def test_a_tracker_read_again_starts_over(domain):
    """Another server's events: a new tracker object, a new replay."""
    events = conversation()
    first = DialogueStateTracker.from_events("her", events[:30], domain.slots)
    states_of(first, domain)
    tracker_history.applied_events(first)
    second = DialogueStateTracker.from_events("her", events[:25], domain.slots)
    assert states_of(second, domain) == domain.states_for_tracker_history(second)
    # the same object, rebuilt with other events of the same number
    first.events.clear()
    first.events.extend(events[1:31])
    assert states_of(first, domain) == domain.states_for_tracker_history(first)
    assert tracker_history.applied_events(first) == (
        tracker_history.rasa_applied_events(first)
    )


def test_the_user_text_or_intent_choice_made_later_is_seen(domain):
    """Rasa sets how her message is featurised after it is logged."""
    tracker = DialogueStateTracker.from_events("her", conversation()[:3], domain.slots)
    message = _said("Hej", "greet")
    tracker.update(message)
    states_of(tracker, domain)
    for event in [
        DefinePrevUserUtteredFeaturization(True),
        ActionExecuted("utter_greet"),
        ActionExecuted("action_listen"),
    ]:
        tracker.update(event)
        assert states_of(tracker, domain) == domain.states_for_tracker_history(tracker)


class _CopiesItself(TextSlot):
    def __copy__(self):
        return "its own copy"


class _Stated(TextSlot):
    def __getstate__(self):
        return {**self.__dict__, "copied_by_its_state": True}

    def __setstate__(self, state):
        self.__dict__.update(state)


class _Slotted(TextSlot):
    __slots__ = ("extra",)


def test_rasas_slot_types_are_copied_by_their_dict(domain):
    # what the bot's slots are: the fast copy must be the one they get
    assert all(tracker_history._copied_by_its_dict(type(s)) for s in domain.slots)
    assert not tracker_history._copied_by_its_dict(_Slotted)
    assert not tracker_history._copied_by_its_dict(_Stated)


@pytest.mark.parametrize(
    "slot",
    [
        TextSlot("text", mappings=[], initial_value="hej"),
        BooleanSlot("yes", mappings=[], initial_value=True),
        FloatSlot("pain", mappings=[], min_value=0, max_value=10),
        CategoricalSlot("stage", mappings=[], values=["gravid", "født"]),
        ListSlot("activities", mappings=[], initial_value=["trapper"]),
        AnySlot("anything", mappings=[]),
        _CopiesItself("own", mappings=[]),
        _Stated("stated", mappings=[]),
    ],
)
def test_a_slot_copy_is_copy_copy(slot):
    slot.value = slot.value  # has been set
    ours = tracker_history.slot_copy(slot)
    theirs = copy.copy(slot)
    assert type(ours) is type(theirs)
    if isinstance(theirs, Slot):
        assert ours is not slot and vars(ours) == vars(theirs)
        assert ours.value is slot.value  # shallow, as copy.copy
        assert vars(ours).get("copied_by_its_state") is vars(theirs).get(
            "copied_by_its_state"
        )
    else:
        assert ours == theirs
