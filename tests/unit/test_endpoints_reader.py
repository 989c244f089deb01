"""The one reader of endpoints.yml: both ``${...}`` forms, clear errors."""

import textwrap
from pathlib import Path

import pytest
import rasa.core.utils

from assistant.config import endpoints
from assistant.config.endpoints import (
    EndpointsError,
    database_url,
    exit_on_error,
    read_endpoint_config,
    read_section,
    settings_from_environment,
)


def endpoints_file(tmp_path, text: str):
    path = tmp_path / "endpoints.yml"
    path.write_text(textwrap.dedent(text))
    return path


def test_rasas_unquoted_form_and_the_quoted_form_with_a_default(tmp_path):
    path = endpoints_file(
        tmp_path,
        """
        action_endpoint:
          url: ${ACTIONS}/webhook
        lock_store:
          type: redis
          url: "${REDIS_HOST:-}"
          port: "${REDIS_PORT:-6379}"
          db: ${REDIS_DB}
          timeout: 5
        """,
    )
    environ = {"ACTIONS": "http://a:1", "REDIS_DB": "3"}
    actions = read_section(path, "action_endpoint", environ)
    assert actions is not None and actions.url == "http://a:1/webhook"
    locks = read_section(path, "lock_store", environ)
    assert locks is not None
    assert locks.type == "redis"
    assert locks.url is None  # empty: unset
    assert locks.kwargs == {"port": 6379, "db": "3", "timeout": 5}
    assert read_section(path, "event_broker", environ) is None


def test_an_unset_variable_without_default_is_named_with_file_and_setting(tmp_path):
    path = endpoints_file(tmp_path, "tracker_store:\n  password: ${DB_PASSWORD}\n")
    with pytest.raises(EndpointsError) as raised:
        read_section(path, "tracker_store", {})
    message = str(raised.value)
    assert message.startswith(f"{path}, tracker_store.password ('${{DB_PASSWORD}}')")
    assert "needs the environment variable DB_PASSWORD" in message


def test_a_malformed_file_or_section_is_a_clear_error(tmp_path):
    with pytest.raises(EndpointsError, match="not valid YAML"):
        read_section(endpoints_file(tmp_path, "a: [\n"), "a", {})
    with pytest.raises(EndpointsError, match="expected settings"):
        read_section(endpoints_file(tmp_path, "tracker_store: sql\n"), "tracker_store")


def test_no_file_is_none_for_rasa_and_an_error_for_the_commands(tmp_path):
    assert read_endpoint_config(str(tmp_path / "none.yml"), "tracker_store") is None
    assert read_endpoint_config("", "tracker_store") is None
    with pytest.raises(EndpointsError, match="no endpoints file"):
        database_url(tmp_path / "none.yml")


def test_the_database_url_of_a_configured_store(tmp_path, monkeypatch):
    # the shipped endpoints.yml, as the operator commands read it
    path = Path(__file__).resolve().parents[2] / "endpoints.yml"
    for name in (
        "DB_DIALECT",
        "DB_HOST",
        "DB_PORT",
        "DB_NAME",
        "DB_USER",
        "DB_PASSWORD",
    ):
        monkeypatch.delenv(name, raising=False)
    assert str(database_url(path)) == "sqlite:///var/conversations.db"
    postgres = {
        "DB_DIALECT": "postgresql",
        "DB_HOST": "db.internal",
        "DB_PORT": "15432",
        "DB_NAME": "rasa",
        "DB_USER": "bot",
        "DB_PASSWORD": "s3cret",
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in postgres.items():
            patch.setenv(name, value)
        url = database_url(path)
    assert url.render_as_string(hide_password=False) == (
        "postgresql://bot:s3cret@db.internal:15432/rasa"
    )
    with pytest.raises(EndpointsError, match="configures no SQL tracker store"):
        database_url(endpoints_file(tmp_path, "lock_store:\n  type: redis\n"))


def test_exit_on_error_prints_the_message_and_exits_with_2(capsys):
    def broken():
        raise EndpointsError("endpoints.yml, tracker_store.port: 'x' is wrong")

    with pytest.raises(SystemExit) as raised:
        exit_on_error(broken)
    assert raised.value.code == 2
    assert capsys.readouterr().err == (
        "endpoints.yml, tracker_store.port: 'x' is wrong\n"
    )


def test_a_store_expands_only_what_the_reader_has_not(monkeypatch):
    written = {"dialect": "${D:-sqlite}", "password": "${P}"}
    monkeypatch.setenv("P", "pa${ss}")
    # Rasa's own reader left the references: the store expands them
    assert settings_from_environment(written) == {
        "dialect": "sqlite",
        "password": "pa${ss}",
    }
    # read through the project's reader, a value is never expanded twice
    monkeypatch.setattr(
        rasa.core.utils, "read_endpoint_config", endpoints.read_endpoint_config
    )
    already = {"dialect": "sqlite", "password": "pa${ss}"}
    assert settings_from_environment(already) == already
