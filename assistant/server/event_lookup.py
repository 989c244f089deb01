"""An event's class found by its type name in one dictionary lookup.

Rasa turns every event it reads back into its class with
``Event.resolve_by_type``, which walks every subclass of ``Event``
(``all_subclasses``, some forty classes, each asked ``inspect.isabstract``)
for the first whose ``type_name`` is the one asked: about 27 us an event,
nearly all of ``Event.from_parameters``. It is paid for each event of every
action server response, and for every event of a conversation read back from
the database (the tracker cache missed, the server restarted, the cluster
run without the cache: 120 events, some 3 ms).

``resolve_by_type`` gives Rasa's answer from a dictionary that Rasa's own
walk fills, once per type name, so the first subclass found is the same one
(a subclass that inherits its parent's ``type_name`` included). The
dictionary is emptied whenever a new subclass of ``Event`` is defined, at
any depth (``Event.__init_subclass__``), so a class imported later is found
as Rasa would find it (``rasa_patches.install_event_lookup`` installs
both). Unknown names behave as in Rasa: ``"topic"`` gives
None, else ``default``, else ``ValueError``.
"""

from __future__ import annotations

from typing import Any

from rasa.shared.core.events import Event

rasa_resolve_by_type = Event.resolve_by_type

# type name -> the class Rasa's walk finds first (None: none has the name)
_classes: dict[str, type[Event] | None] = {}


def resolve_by_type(
    type_name: str, default: type[Event] | None = None
) -> type[Event] | None:
    """The class of events named ``type_name``, exactly as Rasa's lookup."""
    try:
        found = _classes[type_name]
    except KeyError:
        # Rasa's own walk, asked with a default so that it never raises:
        # the sentinel says "no class of that name"
        walked = rasa_resolve_by_type(type_name, _NoSuchEvent)
        found = None if walked is _NoSuchEvent else walked
        _classes[type_name] = found
    if found is not None:
        return found
    return rasa_resolve_by_type(type_name, default)  # topic, default, ValueError


class _NoSuchEvent:
    """What the walk returns when no subclass has the name (never an event)."""


def forget_classes() -> None:
    """The next lookup of each name walks the classes again."""
    _classes.clear()


def on_new_subclass(cls: type[Event], **kwargs: Any) -> None:
    """A new subclass of ``Event`` may come first in Rasa's walk: walk again."""
    forget_classes()
    super(Event, cls).__init_subclass__(**kwargs)
