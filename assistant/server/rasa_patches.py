"""Every change this project makes to Rasa's own behaviour, in one place.

Written against Rasa **3.6.21** (``WRITTEN_AGAINST``). A unit test
(``tests/unit/test_rasa_patches.py``) fails as soon as another Rasa version
is installed, and checks the signature of each patched function, so an
upgrade has to look at every patch below before the tests pass again.

Patched Rasa functions (nothing else in ``assistant/`` assigns to Rasa):

``rasa.core.processor.MessageProcessor.handle_message``, wrapped twice:
    1. outer, ``assistant/server/user_input.py``: a message's text is made
       storable (a lone surrogate becomes U+FFFD) and a "/..." message that
       is not one of the bot's button payloads is read as a request for help,
       with no entities. Rasa parses any "/intent{json}" she types, so she
       could set slots or restart the conversation silently.
    2. inner, ``assistant/server/admission.py``: at most
       ``MAX_CONCURRENT_MESSAGES`` messages are worked on at once, first come
       first served (Rasa starts every message at once and interleaves them,
       which doubled p95 latency under load), and at most
       ``MAX_QUEUED_MESSAGES`` wait (one more is refused: HTTP 503). It also
       wraps, per message, the output channel *instance*'s ``send_response``
       when replies leave the process (callback, socket.io; the messaging
       platforms collect theirs and send them after the turn), so a slow
       receiver gives its place up instead of holding it
       for Rasa's 300 s timeout.
``rasa.core.actions.action.RemoteAction.run``
    ``assistant/server/action_safety_net.py``: a custom action that fails or
    takes longer than ``timeout`` seconds sends the apology with the general
    advice and the red flags instead of silence (Rasa waits 5 minutes, then
    sends nothing); the call carries the action server's shared secret
    (``assistant/server/action_secret.py``), goes out on a kept connection
    (``assistant/server/action_connection.py``: Rasa opens one per call) and
    gives its admission place up while it waits.
``rasa.core.actions.action.RemoteAction._validate_action_result``
    ``assistant/server/action_response_check.py``: the same schema check with
    a validator built once; Rasa's re-checked the schema against the
    meta-schema on every call (47 % of the server's CPU in the bench).
``rasa.core.actions.action.RemoteAction._action_call_format``
    ``assistant/server/action_call.py``: a form validation action that does
    not declare ``send_domain: true`` gets the domain without its responses
    (87 of its 90 KB, which rasa-sdk's form validation never reads) and the
    events from her last message on; Rasa sends every ``validate_<form>`` the
    whole domain and every event of the conversation.
``rasa.shared.core.domain.Domain.is_empty``
    ``assistant/server/action_call.py``: the same comparison, with the empty
    domain built once instead of twice per message.
``rasa.shared.core.trackers.DialogueStateTracker.applied_events``, ``.copy``
and ``rasa.core.actions.forms.FormAction._temporary_tracker``
    ``assistant/policies/tracker_history.py``: the applied events are
    extended with the events appended since the last call instead of being
    worked out from the first event, and a copy (and the form's temporary
    tracker, a copy with the form's events) takes the tracker's state
    instead of replaying every event; both exactly Rasa's answer (compared in
    tests/unit/test_tracker_history.py), and a reply no longer costs more the
    longer the conversation (RulePolicy's own replay: the policy
    ``assistant/policies/rule_policy.py``, no patch).
``rasa.engine.runner.dask.DaskGraphRunner.run``
    ``assistant/server/graph_runner.py``: the model's graph (the NLU
    pipeline, the policies) computed node after node, without dask's
    scheduler around each component, the same results.
``copy`` in ``rasa.core``'s ``processor``, ``actions.forms``, ``policies.rule_policy``
    ``assistant/server/debug_log_copies.py``: these modules deep-copy values
    only to hand them to a debug log, on every message; the copies are made
    only when the debug records are written.
``rasa.shared.core.events.Event.resolve_by_type``
    ``assistant/server/event_lookup.py``: an event's class by its type name
    from a dictionary (emptied when a new ``Event`` subclass is defined)
    instead of a walk over every subclass for each event read back (27 us
    an event: a conversation of 120 read from the database, some 3 ms).
``rasa.core.agent.FailSafeTrackerStore``
    replaced by ``assistant/server/strict_tracker_store.py``'s
    ``StrictTrackerStore``: a database error fails the message (HTTP 503)
    instead of silently continuing in memory with an empty conversation.
``rasa.core.utils.read_endpoint_config``
    replaced by ``assistant/config/endpoints.py``'s ``read_endpoint_config``,
    which ``AvailableEndpoints.read_endpoints`` then calls for every section
    of endpoints.yml: the quoted ``"${NAME:-default}"`` is expanded too
    (Rasa expands only an unquoted ``${NAME}``, with no default), so the
    action server's URL, the stores and the operator commands all read the
    file one way.
``rasa.core.run.load_agent_on_start``
    replaced by ``assistant/server/model_load.py``'s ``load_agent_or_stop``:
    a model that cannot be loaded stops the server with a message saying so
    (Rasa logs the error, then serves with no model and drops every message).
``rasa.core.run.create_http_input_channels``
    replaced by ``assistant/config/credentials.py``'s, which reads
    credentials.yml the same way (e.g. the callback channel's
    ``"${CALLBACK_URL:-http://127.0.0.1:5034/bot}"``).
``rasa.server.requires_auth``
    replaced by ``assistant/server/api_token.py``'s: the HTTP API's
    ``?token=`` is compared with ``hmac.compare_digest`` (Rasa's ``==``
    tells a guesser, by its time, how much of the token was right).

Built on Rasa's internals without patching them (subclasses; read them on an
upgrade too): ``assistant/channels/socketio.py`` (the RasaHQ/rasa#13027 fix
re-implements ``SocketIOInput.blueprint``), ``assistant/channels/rest.py``
(``RestInput``: every failure of a message, a cancelled one too, ends in the
project's wrapper, so ``receive``'s ``except`` branches, which log
``text=`` her message, never run), ``assistant/channels/reply_metadata.py``
(``CollectingOutputChannel``), ``assistant/stores/tracker_store.py``
(``SQLTrackerStore``'s table and session), ``assistant/stores/lock_store.py``
(``RedisLockStore``'s keys), the messaging channels in
``assistant/channels/messaging/``: ``telegram.py`` (``TelegramInput``'s
settings, ``TelegramOutput`` as aiogram's ``Bot``), ``messenger.py``
(``FacebookInput``'s ``fb_verify``/``fb_secret``/``fb_access_token``,
``MessengerBot``), ``slack.py`` (``SlackInput``'s
``is_request_from_slack_authentic``, ``process_message`` and private
``_is_user_message``, ``_sanitize_user_message``, ``_is_supported_channel``;
``SlackBot._post_message``); tests/unit/test_messaging_platforms.py checks
their signatures.

**How they are installed, and why that way.** When the server starts, not
with the model: ``assistant/server/launch.py``, which starts Rasa's command
line in-process for `make run`, `make shell`, `make test-stories`, the tests
and the containers, calls ``install_at_start`` before Rasa reads a file or
loads a model; code that loads a model itself (the evaluation,
``Agent.load`` in a test) calls it first too. The run-time settings
(``MAX_CONCURRENT_MESSAGES``, ``MAX_QUEUED_MESSAGES``,
``ACTION_SERVER_TIMEOUT_SECONDS``) are read from the environment then
(``server_settings.run_time_settings``): they are not part of the trained
model, so changing one needs a restart, never a retraining, and every model
the server loads runs with them. (They used to be installed by a policy in
config.yml that never predicted: the settings were baked into the model, and
a model loaded later kept the first one's.) The project's tracker store,
which Rasa creates from endpoints.yml when the server starts and before it
loads the model, calls ``install_after_files_read``, so a plain ``rasa run``
or ``rasa shell`` on the shipped files gets the tracker store's and the
message path's patches as well (the readers of the files come too late
there). Each install happens once per process (installing again changes
nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import rasa.core.agent
import rasa.core.run
import rasa.core.utils
import rasa.server
from rasa.core.actions.action import RemoteAction
from rasa.core.actions.forms import FormAction
from rasa.core.processor import MessageProcessor
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.config import endpoints, server_settings
from assistant.policies import tracker_history
from assistant.server import (
    action_call,
    action_response_check,
    action_secret,
    admission,
    debug_log_copies,
    event_lookup,
    graph_runner,
    user_input,
)
from assistant.server.action_safety_net import with_safety_net
from assistant.server.model_load import load_agent_or_stop
from assistant.server.strict_tracker_store import StrictTrackerStore

WRITTEN_AGAINST = "3.6.21"

# Each patched Rasa function, as ``module:qualified name``, with the
# signature it had in WRITTEN_AGAINST (the unit test compares them).
PATCHED_FUNCTIONS = {
    "rasa.core.processor:MessageProcessor.handle_message": (
        "(self, message: rasa.core.channels.channel.UserMessage)"
        " -> Optional[List[Dict[str, Any]]]"
    ),
    "rasa.core.actions.action:RemoteAction.run": (
        "(self, output_channel: 'OutputChannel', nlg: 'NaturalLanguageGenerator',"
        " tracker: 'DialogueStateTracker', domain: 'Domain')"
        " -> List[rasa.shared.core.events.Event]"
    ),
    "rasa.core.actions.action:RemoteAction._validate_action_result": (
        "(self, result: Dict[str, Any]) -> bool"
    ),
    "rasa.core.actions.action:RemoteAction._action_call_format": (
        "(self, tracker: 'DialogueStateTracker', domain: 'Domain') -> Dict[str, Any]"
    ),
    "rasa.shared.core.domain:Domain.is_empty": "(self) -> bool",
    "rasa.shared.core.trackers:DialogueStateTracker.applied_events": (
        "(self) -> List[rasa.shared.core.events.Event]"
    ),
    "rasa.shared.core.trackers:DialogueStateTracker.copy": (
        "(self) -> 'DialogueStateTracker'"
    ),
    "rasa.core.actions.forms:FormAction._temporary_tracker": (
        "(self, current_tracker: rasa.shared.core.trackers.DialogueStateTracker,"
        " additional_events: List[rasa.shared.core.events.Event],"
        " domain: rasa.shared.core.domain.Domain)"
        " -> rasa.shared.core.trackers.DialogueStateTracker"
    ),
    "rasa.engine.runner.dask:DaskGraphRunner.run": (
        "(self, inputs: 'Optional[Dict[Text, Any]]' = None,"
        " targets: 'Optional[List[Text]]' = None) -> 'Dict[Text, Any]'"
    ),
    "rasa.shared.core.events:Event.resolve_by_type": (
        "(type_name: str, default: Optional[Type[ForwardRef('Event')]] = None)"
        " -> Optional[Type[ForwardRef('Event')]]"
    ),
    "rasa.core.agent:FailSafeTrackerStore": (
        "(tracker_store: 'TrackerStore',"
        " on_tracker_store_error: 'Optional[Callable[[Exception], None]]' = None,"
        " fallback_tracker_store: 'Optional[TrackerStore]' = None) -> 'None'"
    ),
    "rasa.core.utils:read_endpoint_config": (
        "(filename: str, endpoint_type: str) -> Optional[ForwardRef('EndpointConfig')]"
    ),
    "rasa.core.run:load_agent_on_start": (
        "(model_path: str, endpoints: rasa.core.utils.AvailableEndpoints,"
        " remote_storage: Optional[str], app: sanic.app.Sanic,"
        " loop: asyncio.events.AbstractEventLoop) -> rasa.core.agent.Agent"
    ),
    "rasa.core.run:create_http_input_channels": (
        "(channel: Optional[str], credentials_file: Optional[str])"
        " -> List[ForwardRef('InputChannel')]"
    ),
    "rasa.server:requires_auth": (
        "(app: sanic.app.Sanic, token: Optional[str] = None)"
        " -> Callable[[ForwardRef('SanicView')], ForwardRef('SanicView')]"
    ),
}

# Marks a function this module installed, so a second install does nothing.
INSTALLED_MARK = "__installed_by_rasa_patches__"


def _mark(function: Callable[..., Any]) -> Callable[..., Any]:
    setattr(function, INSTALLED_MARK, True)
    return function


def is_installed(function: Any) -> bool:
    """True if ``function`` is one of this module's patches."""
    return bool(getattr(function, INSTALLED_MARK, False))


# what ``install_at_start`` installed the message path with (None: not yet)
installed_settings: server_settings.RunTimeSettings | None = None


def install_at_start(environment: Mapping[str, str]) -> server_settings.RunTimeSettings:
    """Install every patch, with the run-time settings of ``environment``.

    Before Rasa reads endpoints.yml and credentials.yml (the launcher). Once
    per process: a second call changes nothing and returns the settings of
    the first. ``server_settings.SettingError`` for a bad setting (the
    launcher checks them before, and stops with its message).
    """
    install_endpoints_reader()
    install_credentials_reader()
    install_api_token_check()
    install_model_load_check()  # a plain `rasa run` has looked it up already
    return install_after_files_read(environment)


def install_after_files_read(
    environment: Mapping[str, str],
) -> server_settings.RunTimeSettings:
    """The patches that still take effect once Rasa has read its files.

    The tracker store wrapper and the message path (``install_at_start``'s
    rest): what a plain ``rasa run`` gets when Rasa creates the project's
    tracker store. The readers are left as they are: installed after Rasa's
    own reader has run, they would make the stores take settings it left
    unexpanded for expanded ones.
    """
    global installed_settings
    settings = installed_settings or server_settings.run_time_settings(environment)
    install_strict_tracker_store()
    _install_message_path(settings)
    installed_settings = settings
    return settings


def _install_message_path(settings: server_settings.RunTimeSettings) -> None:
    if not is_installed(RemoteAction.run):
        secret = action_secret.configured_secret()
        RemoteAction.run = _mark(
            with_safety_net(RemoteAction.run, settings.action_timeout_seconds, secret)
        )
    if not is_installed(RemoteAction._validate_action_result):
        RemoteAction._validate_action_result = _mark(
            action_response_check.validate_action_result
        )
    if not is_installed(RemoteAction._action_call_format):
        RemoteAction._action_call_format = _mark(action_call.action_call_format)
    if not is_installed(Domain.is_empty):
        Domain.is_empty = _mark(action_call.is_empty)
    if not is_installed(DialogueStateTracker.applied_events):
        DialogueStateTracker.applied_events = _mark(tracker_history.applied_events)
    if not is_installed(DialogueStateTracker.copy):
        DialogueStateTracker.copy = _mark(tracker_history.copy)
    if not is_installed(FormAction._temporary_tracker):
        FormAction._temporary_tracker = _mark(tracker_history.temporary_tracker)
    if not is_installed(DaskGraphRunner.run):
        DaskGraphRunner.run = _mark(graph_runner.run)
    debug_log_copies.install()
    install_event_lookup()
    if not is_installed(MessageProcessor.handle_message):
        handle = MessageProcessor.handle_message
        started = admission.start(
            settings.concurrent_messages, max_waiting=settings.queued_messages
        )
        if started is not None:
            handle = admission.admitting(handle, started)
        MessageProcessor.handle_message = _mark(user_input.screening(handle))


def install_event_lookup() -> None:
    """Make Rasa find an event's class by its name in a dictionary."""
    if not is_installed(Event.resolve_by_type):
        event_lookup.forget_classes()
        Event.__init_subclass__ = classmethod(event_lookup.on_new_subclass)
        Event.resolve_by_type = staticmethod(_mark(event_lookup.resolve_by_type))


def install_model_load_check() -> None:
    """Make a model that cannot be loaded stop the server (``model_load.py``)."""
    if not is_installed(rasa.core.run.load_agent_on_start):
        rasa.core.run.load_agent_on_start = _mark(load_agent_or_stop)


def install_strict_tracker_store() -> None:
    """Make Rasa's agent wrap tracker stores in ``StrictTrackerStore``."""
    rasa.core.agent.FailSafeTrackerStore = StrictTrackerStore


def install_endpoints_reader() -> None:
    """Make Rasa read every section of endpoints.yml with the project's reader."""
    rasa.core.utils.read_endpoint_config = endpoints.read_endpoint_config


def install_credentials_reader() -> None:
    """Make Rasa read credentials.yml with the environment, as endpoints.yml."""
    from assistant.config import credentials

    rasa.core.run.create_http_input_channels = credentials.create_http_input_channels


def install_api_token_check() -> None:
    """Make Rasa's HTTP API compare its token in constant time."""
    from assistant.server import api_token

    rasa.server.requires_auth = api_token.requires_auth
