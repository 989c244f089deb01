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
       ``max_concurrent_messages`` messages are worked on at once, first come
       first served (Rasa starts every message at once and interleaves them,
       which doubled p95 latency under load), and at most
       ``MAX_QUEUED_MESSAGES`` wait (one more is refused: HTTP 503). It also
       wraps, per message, the output channel *instance*'s ``send_response``
       when replies leave the process (callback, socket.io, messaging
       platforms), so a slow receiver gives its place up instead of holding it
       for Rasa's 300 s timeout.
``rasa.core.actions.action.RemoteAction.run``
    ``assistant/server/action_safety_net.py``: a custom action that fails or
    takes longer than ``timeout`` seconds sends the apology with the general
    advice and the red flags instead of silence (Rasa waits 5 minutes, then
    sends nothing); the call carries the action server's shared secret
    (``assistant/server/action_secret.py``) and gives its admission place up
    while it waits.
``rasa.core.actions.action.RemoteAction._validate_action_result``
    ``assistant/server/action_response_check.py``: the same schema check with
    a validator built once; Rasa's re-checked the schema against the
    meta-schema on every call (47 % of the server's CPU in the bench).
``rasa.shared.core.trackers.DialogueStateTracker.applied_events`` and ``.copy``
    ``assistant/policies/tracker_history.py``: the applied events are
    extended with the events appended since the last call instead of being
    worked out from the first event, and a copy takes the tracker's state
    instead of replaying every event; both exactly Rasa's answer (compared in
    tests/unit/test_tracker_history.py), and a reply no longer costs more the
    longer the conversation (RulePolicy's own replay: the policy
    ``assistant/policies/rule_policy.py``, no patch).
``rasa.engine.runner.dask.DaskGraphRunner.run``
    ``assistant/server/graph_runner.py``: the model's graph (the NLU
    pipeline, the policies) computed node after node, without dask's
    scheduler around each component, the same results.
``rasa.core.agent.FailSafeTrackerStore``
    replaced by ``assistant/stores/tracker_store.py``'s
    ``StrictTrackerStore``: a database error fails the message (HTTP 503)
    instead of silently continuing in memory with an empty conversation.
``rasa.core.utils.read_endpoint_config``
    replaced by ``assistant/stores/endpoints.py``'s ``read_endpoint_config``,
    which ``AvailableEndpoints.read_endpoints`` then calls for every section
    of endpoints.yml: the quoted ``"${NAME:-default}"`` is expanded too
    (Rasa expands only an unquoted ``${NAME}``, with no default), so the
    action server's URL, the stores and the operator commands all read the
    file one way.
``rasa.core.run.create_http_input_channels``
    replaced by ``assistant/channels/credentials.py``'s, which reads
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

**How they are installed, and why that way.** The first five patches are
installed by ``RasaServerPatches``, a policy in config.yml that never
predicts anything: Rasa constructs every policy when it loads the model, so
they are in place in every way Rasa starts (``rasa run``, ``rasa shell``,
``rasa test``, ``Agent.load`` in the evaluation and the tests, the container
images), in each Sanic worker, before the first message, with no wrapper
script or ``sitecustomize`` a deployment could forget. The tracker-store
patch cannot wait for the model (Rasa wraps the store before loading it), so
the project's tracker store installs it when Rasa creates it from
endpoints.yml. The endpoints and credentials readers and the API token
check cannot wait either (Rasa reads both files, and builds its routes,
before anything of the project is loaded):
``assistant/server/launch.py``, which starts Rasa's command line in-process
for `make run`, `make shell`, the tests and the containers, installs them
first. Each install happens once per
process (installing again changes nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rasa.core.agent
import rasa.core.run
import rasa.core.utils
import rasa.server
from rasa.core.actions.action import RemoteAction
from rasa.core.processor import MessageProcessor
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.policies import tracker_history
from assistant.policies.silent_policy import SilentPolicy
from assistant.server import (
    action_response_check,
    action_secret,
    admission,
    graph_runner,
    user_input,
)
from assistant.server.action_safety_net import (
    DEFAULT_TIMEOUT_SECONDS,
    configured_timeout,
    with_safety_net,
)
from assistant.stores import endpoints

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
    "rasa.shared.core.trackers:DialogueStateTracker.applied_events": (
        "(self) -> List[rasa.shared.core.events.Event]"
    ),
    "rasa.shared.core.trackers:DialogueStateTracker.copy": (
        "(self) -> 'DialogueStateTracker'"
    ),
    "rasa.engine.runner.dask:DaskGraphRunner.run": (
        "(self, inputs: 'Optional[Dict[Text, Any]]' = None,"
        " targets: 'Optional[List[Text]]' = None) -> 'Dict[Text, Any]'"
    ),
    "rasa.core.agent:FailSafeTrackerStore": (
        "(tracker_store: 'TrackerStore',"
        " on_tracker_store_error: 'Optional[Callable[[Exception], None]]' = None,"
        " fallback_tracker_store: 'Optional[TrackerStore]' = None) -> 'None'"
    ),
    "rasa.core.utils:read_endpoint_config": (
        "(filename: str, endpoint_type: str) -> Optional[ForwardRef('EndpointConfig')]"
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


def install_with_model(config: dict[str, Any]) -> None:
    """Install the patches that come with the model (once per process).

    ``config``: ``timeout`` (seconds a custom action may take) and
    ``max_concurrent_messages`` (0 = no limit); the environment variables
    ``ACTION_SERVER_TIMEOUT_SECONDS`` and ``MAX_CONCURRENT_MESSAGES`` win.
    """
    if not is_installed(RemoteAction.run):
        secret = action_secret.configured_secret()
        RemoteAction.run = _mark(
            with_safety_net(RemoteAction.run, configured_timeout(config), secret)
        )
    if not is_installed(RemoteAction._validate_action_result):
        RemoteAction._validate_action_result = _mark(
            action_response_check.validate_action_result
        )
    if not is_installed(DialogueStateTracker.applied_events):
        DialogueStateTracker.applied_events = _mark(tracker_history.applied_events)
    if not is_installed(DialogueStateTracker.copy):
        DialogueStateTracker.copy = _mark(tracker_history.copy)
    if not is_installed(DaskGraphRunner.run):
        DaskGraphRunner.run = _mark(graph_runner.run)
    if not is_installed(MessageProcessor.handle_message):
        handle = MessageProcessor.handle_message
        started = admission.start(
            admission.configured_limit(config),
            max_waiting=admission.configured_queue_bound(),
        )
        if started is not None:
            handle = admission.admitting(handle, started)
        MessageProcessor.handle_message = _mark(user_input.normalising(handle))


def install_strict_tracker_store() -> None:
    """Make Rasa's agent wrap tracker stores in ``StrictTrackerStore``."""
    # imported here: the tracker store module calls this when Rasa creates it
    from assistant.stores.tracker_store import StrictTrackerStore

    rasa.core.agent.FailSafeTrackerStore = StrictTrackerStore


def install_endpoints_reader() -> None:
    """Make Rasa read every section of endpoints.yml with the project's reader."""
    rasa.core.utils.read_endpoint_config = endpoints.read_endpoint_config


def install_credentials_reader() -> None:
    """Make Rasa read credentials.yml with the environment, as endpoints.yml."""
    from assistant.channels import credentials

    rasa.core.run.create_http_input_channels = credentials.create_http_input_channels


def install_api_token_check() -> None:
    """Make Rasa's HTTP API compare its token in constant time."""
    from assistant.server import api_token

    rasa.server.requires_auth = api_token.requires_auth


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT,
    is_trainable=False,
)
class RasaServerPatches(SilentPolicy):
    """Installs the patches when the model loads; never predicts an action."""

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
        """Install the patches in this process."""
        super().__init__(config, model_storage, resource, execution_context, featurizer)
        install_with_model(config)
