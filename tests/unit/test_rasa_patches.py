"""Rasa's patches: written against one version, installed once, in one place."""

import ast
import inspect
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
import rasa.core.agent
import rasa.core.run
import rasa.core.utils
import rasa.server
import rasa.utils.endpoints
import rasa.version
import yaml
from rasa.core.actions.action import RemoteAction
from rasa.core.actions.forms import FormAction
from rasa.core.processor import MessageProcessor
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.config import endpoints
from assistant.config.server_settings import RunTimeSettings
from assistant.policies import tracker_history
from assistant.server import (
    action_call,
    action_response_check,
    admission,
    api_token,
    event_lookup,
    graph_runner,
    model_load,
    rasa_patches,
)
from assistant.server.strict_tracker_store import StrictTrackerStore

ASSISTANT = Path(__file__).resolve().parents[2] / "assistant"


def test_rasa_is_the_version_the_patches_were_written_against():
    assert rasa.version.__version__ == rasa_patches.WRITTEN_AGAINST, (
        f"Rasa {rasa.version.__version__} is installed; the patches in "
        "assistant/server/rasa_patches.py were written against "
        f"{rasa_patches.WRITTEN_AGAINST}. Read each patched function in the new "
        f"Rasa ({', '.join(rasa_patches.PATCHED_FUNCTIONS)}) and the subclasses "
        "the module names, then update WRITTEN_AGAINST and the signatures."
    )


def rasa_original(location: str):
    module_name, qualified_name = location.split(":")
    target: Any = import_module(module_name)
    for part in qualified_name.split("."):
        target = getattr(target, part)
    if target is StrictTrackerStore:  # the patched name: Rasa's class is its base
        target = StrictTrackerStore.__bases__[0]
    if target is endpoints.read_endpoint_config:  # Rasa's is where it came from
        target = rasa.utils.endpoints.read_endpoint_config
    if target is api_token.requires_auth:  # Rasa's, kept by the replacement
        target = api_token.RASA_REQUIRES_AUTH
    if target is action_call.action_call_format:  # installed by an earlier test
        target = action_call.rasa_action_call_format
    if target is tracker_history.temporary_tracker:
        target = tracker_history.rasa_temporary_tracker
    if target is tracker_history.copy:
        target = tracker_history.rasa_copy
    if target is tracker_history.applied_events:
        target = tracker_history.rasa_applied_events
    if target is event_lookup.resolve_by_type:
        target = event_lookup.rasa_resolve_by_type
    if target is action_call.is_empty:
        target = action_call.rasa_is_empty
    if target is model_load.load_agent_or_stop:
        target = model_load.rasa_load_agent_on_start
    return inspect.unwrap(target)


@pytest.mark.parametrize("location", sorted(rasa_patches.PATCHED_FUNCTIONS))
def test_each_patched_function_has_the_signature_it_was_written_against(location):
    expected = rasa_patches.PATCHED_FUNCTIONS[location]
    assert str(inspect.signature(rasa_original(location))) == expected


@pytest.fixture
def unpatched_rasa(monkeypatch):
    """Rasa's functions as they are now, put back after the test."""
    for owner, name in [
        (RemoteAction, "run"),
        (RemoteAction, "_validate_action_result"),
        (MessageProcessor, "handle_message"),
        (rasa.core.agent, "FailSafeTrackerStore"),
        (rasa.core.utils, "read_endpoint_config"),
        (rasa.core.run, "create_http_input_channels"),
    ]:
        monkeypatch.setattr(owner, name, inspect.unwrap(getattr(owner, name)))
    monkeypatch.setattr(rasa.server, "requires_auth", api_token.RASA_REQUIRES_AUTH)
    monkeypatch.setattr(
        DialogueStateTracker, "applied_events", tracker_history.rasa_applied_events
    )
    monkeypatch.setattr(DialogueStateTracker, "copy", tracker_history.rasa_copy)
    monkeypatch.setattr(
        FormAction, "_temporary_tracker", tracker_history.rasa_temporary_tracker
    )
    monkeypatch.setattr(DaskGraphRunner, "run", graph_runner.rasa_run)
    monkeypatch.setattr(
        RemoteAction, "_action_call_format", action_call.rasa_action_call_format
    )
    monkeypatch.setattr(Domain, "is_empty", action_call.rasa_is_empty)
    monkeypatch.setattr(
        Event, "resolve_by_type", staticmethod(event_lookup.rasa_resolve_by_type)
    )
    monkeypatch.delattr(Event, "__init_subclass__", raising=False)
    monkeypatch.setattr(
        rasa.core.run, "load_agent_on_start", model_load.rasa_load_agent_on_start
    )
    monkeypatch.setattr(admission, "_admission", None)
    monkeypatch.setattr(rasa_patches, "installed_settings", None)


def marked_layers(function) -> int:
    layers = 0
    while function is not None:
        layers += rasa_patches.is_installed(function)
        function = getattr(function, "__wrapped__", None)
    return layers


def test_starting_installs_each_patch_once(unpatched_rasa):
    rasa_patches.install_at_start({})
    # a second start in one process (the evaluation, then a test) changes nothing
    assert rasa_patches.install_at_start({"MAX_CONCURRENT_MESSAGES": "5"}) == (
        RunTimeSettings(2, 100, 4.0)
    )

    assert marked_layers(RemoteAction.run) == 1
    assert marked_layers(MessageProcessor.handle_message) == 1
    assert (
        RemoteAction._validate_action_result
        is action_response_check.validate_action_result
    )
    # admission and the user-input check both sit around Rasa's handle_message
    assert inspect.unwrap(MessageProcessor.handle_message).__module__ == (
        "rasa.core.processor"
    )
    assert admission._admission is not None
    assert DialogueStateTracker.applied_events is tracker_history.applied_events
    assert DialogueStateTracker.copy is tracker_history.copy
    assert FormAction._temporary_tracker is tracker_history.temporary_tracker
    assert DaskGraphRunner.run is graph_runner.run
    assert RemoteAction._action_call_format is action_call.action_call_format
    assert Domain.is_empty is action_call.is_empty
    assert Event.resolve_by_type is event_lookup.resolve_by_type
    assert rasa.core.run.load_agent_on_start is model_load.load_agent_or_stop


def test_the_run_time_settings_come_from_the_environment_at_start(unpatched_rasa):
    rasa_patches.install_at_start(
        {
            "MAX_CONCURRENT_MESSAGES": "3",
            "MAX_QUEUED_MESSAGES": "7",
            "ACTION_SERVER_TIMEOUT_SECONDS": "1.5",
        }
    )
    assert admission._admission is not None
    assert admission._admission.free_places == 3
    assert admission._admission.max_waiting == 7
    timeout = inspect.getclosurevars(RemoteAction.run).nonlocals["timeout"]
    assert timeout == 1.5
    assert rasa.core.agent.FailSafeTrackerStore is StrictTrackerStore
    assert rasa.core.utils.read_endpoint_config is endpoints.read_endpoint_config


def test_no_limit_installs_no_admission(unpatched_rasa):
    rasa_patches.install_at_start({"MAX_CONCURRENT_MESSAGES": "0"})
    assert admission._admission is None
    assert marked_layers(MessageProcessor.handle_message) == 1  # the input check


def test_no_run_time_setting_is_part_of_the_trained_model():
    """Changing the admission places or the action timeout needs no retraining.

    Rasa's training fingerprint covers config.yml; none of its components
    carries a run-time setting or installs the patches, so a model trained
    once runs with whatever the environment says when the server starts.
    """
    config = yaml.safe_load((ASSISTANT.parent / "config.yml").read_text("utf-8"))
    for component in config["pipeline"] + config["policies"]:
        assert not {"timeout", "max_concurrent_messages"} & set(component), component
        assert not component["name"].startswith("assistant.server."), component


def test_the_tracker_store_patch_replaces_rasas_silent_fallback(unpatched_rasa):
    rasa_patches.install_strict_tracker_store()
    assert rasa.core.agent.FailSafeTrackerStore is StrictTrackerStore


def test_the_endpoints_patch_makes_rasa_read_every_section_expanded(
    unpatched_rasa, monkeypatch
):
    monkeypatch.setenv("ACTION_SERVER_URL", "http://127.0.0.1:6055/webhook")
    shipped = str(ASSISTANT.parent / "endpoints.yml")
    before = rasa.core.utils.AvailableEndpoints.read_endpoints(shipped)
    assert before.action.url == "${ACTION_SERVER_URL:-http://127.0.0.1:5055/webhook}"

    rasa_patches.install_endpoints_reader()
    rasa_patches.install_endpoints_reader()  # once or twice: the same
    assert rasa.core.utils.read_endpoint_config is endpoints.read_endpoint_config
    after = rasa.core.utils.AvailableEndpoints.read_endpoints(shipped)
    assert after.action.url == "http://127.0.0.1:6055/webhook"
    assert after.tracker_store.kwargs["dialect"] == "sqlite"
    assert after.lock_store.kwargs["port"] == 6379


def test_the_credentials_patch_makes_rasa_read_channel_settings_expanded(
    unpatched_rasa, monkeypatch
):
    monkeypatch.setenv("CALLBACK_URL", "http://127.0.0.1:6034/bot")
    shipped = str(ASSISTANT.parent / "credentials.yml")

    def callback_url() -> str:
        channels = rasa.core.run.create_http_input_channels(None, shipped)
        [callback] = [channel for channel in channels if channel.name() == "callback"]
        return callback.callback_endpoint.url

    assert callback_url() == "${CALLBACK_URL:-http://127.0.0.1:5034/bot}"
    rasa_patches.install_credentials_reader()
    assert callback_url() == "http://127.0.0.1:6034/bot"
    monkeypatch.delenv("CALLBACK_URL")
    assert callback_url() == "http://127.0.0.1:5034/bot"


def rasa_names(tree: ast.Module) -> set[str]:
    """Names a module binds to something imported from Rasa."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("rasa"):
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(
                (alias.asname or alias.name).split(".")[0]
                for alias in node.names
                if alias.name.startswith("rasa")
            )
    return names


def assignments_to_rasa(source: str) -> list[str]:
    """``X.attr = ...`` and ``setattr(X, ...)`` where X comes from Rasa."""
    tree = ast.parse(source)
    rasa = rasa_names(tree)
    found = []
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "setattr"
            and node.args
        ):
            targets = [ast.Attribute(value=node.args[0], attr="?")]
        for target in targets:
            if not isinstance(target, ast.Attribute):
                continue
            base = target.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id in rasa:
                found.append(ast.unparse(target))
    return found


def test_the_assignment_scan_finds_a_patch():
    source = (
        "import rasa.core.agent\n"
        "from rasa.core.processor import MessageProcessor\n"
        "MessageProcessor.handle_message = None\n"
        "rasa.core.agent.FailSafeTrackerStore = None\n"
        "setattr(MessageProcessor, 'x', 1)\n"
        "local = object()\nlocal.attribute = 1\n"
    )
    assert len(assignments_to_rasa(source)) == 3


def test_only_rasa_patches_assigns_to_rasa():
    patching = {
        str(path.relative_to(ASSISTANT)): found
        for path in sorted(ASSISTANT.rglob("*.py"))
        if path.name != "rasa_patches.py"
        and (found := assignments_to_rasa(path.read_text()))
    }
    assert patching == {}, "patch Rasa in assistant/server/rasa_patches.py only"
