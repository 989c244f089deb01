"""Event.resolve_by_type from a dictionary: Rasa's answer, without the walk."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
import rasa.shared.utils.common
from rasa.shared.core import events
from rasa.shared.core.events import Event, SlotSet

from assistant.server import event_lookup, rasa_patches

rasa_resolve = event_lookup.rasa_resolve_by_type


@pytest.fixture(autouse=True)
def installed() -> Iterator[None]:
    rasa_patches.install_event_lookup()
    yield
    event_lookup.forget_classes()  # the lookup lets go of a test's classes,
    gc.collect()  # and then they leave Event's subclasses
    assert not [c for c in Event.__subclasses__() if c.__module__ == __name__]


def every_type_name() -> list[str]:
    names = {cls.type_name for cls in rasa.shared.utils.common.all_subclasses(Event)}
    return sorted(names)


def test_every_event_type_name_gives_rasas_class():
    names = every_type_name()
    assert len(names) >= 20  # user, bot, action, slot, ... every kind Rasa has
    for name in names:
        assert Event.resolve_by_type(name) is rasa_resolve(name), name
        assert Event.resolve_by_type(name) is rasa_resolve(name), name  # known now


def test_unknown_names_behave_as_in_rasa():
    assert Event.resolve_by_type("topic") is None is rasa_resolve("topic")
    assert Event.resolve_by_type("no such event", SlotSet) is SlotSet
    assert Event.resolve_by_type("no such event", SlotSet) is SlotSet  # twice
    with pytest.raises(ValueError, match="Unknown event name 'no such event'"):
        Event.resolve_by_type("no such event")
    with pytest.raises(ValueError, match="Unknown event name 'no such event'"):
        rasa_resolve("no such event")


def test_a_subclass_defined_after_a_lookup_is_found():
    assert Event.resolve_by_type("lookup_test_later", SlotSet) is SlotSet

    class LaterEvent(SlotSet):
        type_name = "lookup_test_later"

    assert Event.resolve_by_type("lookup_test_later") is LaterEvent
    assert rasa_resolve("lookup_test_later") is LaterEvent


def test_a_subclass_that_inherits_a_type_name_does_not_shadow_its_parent():
    assert Event.resolve_by_type("slot") is SlotSet

    class DeeperSlotSet(SlotSet):
        pass

    assert Event.resolve_by_type("slot") is SlotSet is rasa_resolve("slot")
    assert DeeperSlotSet.type_name == "slot"


def test_a_new_subclass_that_comes_first_in_rasas_walk_is_found():
    # SessionStarted is a grandchild of Event; Rasa's walk lists every direct
    # subclass, the one defined here too, before any grandchild
    assert Event.resolve_by_type("session_started") is events.SessionStarted

    class EarlierSessionStarted(Event):
        type_name = "session_started"

        def as_story_string(self) -> None:
            return None

        def __eq__(self, other: object) -> bool:
            return isinstance(other, EarlierSessionStarted)

        __hash__ = Event.__hash__

    assert rasa_resolve("session_started") is EarlierSessionStarted
    assert Event.resolve_by_type("session_started") is EarlierSessionStarted


def test_a_known_name_walks_no_subclasses(monkeypatch):
    names = every_type_name()
    rasas = {name: rasa_resolve(name) for name in names}
    for name in names:
        Event.resolve_by_type(name)
    walks: list[object] = []
    walk = rasa.shared.utils.common.all_subclasses

    def counted_walk(cls: object) -> list[object]:
        walks.append(cls)
        return walk(cls)

    monkeypatch.setattr(rasa.shared.utils.common, "all_subclasses", counted_walk)
    for name in names:
        assert Event.resolve_by_type(name) is rasas[name]
    stored = [event.as_dict() for event in CONVERSATION]
    assert events.deserialise_events(stored) == CONVERSATION
    # Rasa's lookup walks every subclass for each name and each event
    assert walks == []


CONVERSATION = [
    events.SessionStarted(),
    events.ActionExecuted("action_listen"),
    events.UserUttered("hej", {"name": "greet", "confidence": 0.9}),
    events.ActionExecuted("utter_greet"),
    events.BotUttered("Hej!", {"elements": None}),
    events.ActiveLoop("referral_form"),
    events.SlotSet("requested_slot", "weeks_pregnant"),
    events.ActionExecuted("action_listen"),
]
