"""endpoints.yml settings from the environment, with defaults."""

import pytest

from assistant.config.environment import (
    MissingSetting,
    SettingError,
    expand,
    expand_settings,
    port_number,
)


def test_a_set_variable_is_used():
    assert expand("${DB_HOST:-localhost}", {"DB_HOST": "db.internal"}) == "db.internal"
    assert expand("${DB_HOST}", {"DB_HOST": "db.internal"}) == "db.internal"


def test_an_unset_or_empty_variable_takes_the_default():
    assert expand("${DB_DIALECT:-sqlite}", {}) == "sqlite"
    assert expand("${DB_DIALECT:-sqlite}", {"DB_DIALECT": ""}) == "sqlite"
    assert expand("${DB_NAME:-var/conversations.db}", {}) == "var/conversations.db"
    assert expand("${DB_HOST:-}", {}) == ""


def test_a_variable_without_default_must_be_set():
    with pytest.raises(MissingSetting, match="DB_PASSWORD"):
        expand("${DB_PASSWORD}", {})
    assert expand("${DB_PASSWORD}", {"DB_PASSWORD": ""}) == ""


def test_text_around_references_and_plain_text_are_kept():
    environ = {"HOST": "h", "PORT": "5"}
    assert expand("redis://${HOST}:${PORT:-6379}/1", environ) == "redis://h:5/1"
    assert expand("plain", environ) == "plain"
    assert expand("$HOST stays", environ) == "$HOST stays"


def test_settings_expand_strings_only_and_empty_means_unset():
    settings = {"dialect": "${D:-sqlite}", "url": "${H:-}", "port": 5432, "x": None}
    # an empty setting is left out, so the store's own default applies
    assert expand_settings(settings, {}) == {
        "dialect": "sqlite",
        "port": 5432,
        "x": None,
    }


def test_nested_settings_are_expanded_too():
    settings = {"headers": {"Authorization": "Bearer ${T}"}, "hosts": ["${H:-a}"]}
    assert expand_settings(settings, {"T": "t0k"}) == {
        "headers": {"Authorization": "Bearer t0k"},
        "hosts": ["a"],
    }


def test_a_port_becomes_a_number_or_a_clear_error():
    assert expand_settings({"port": "${P:-6379}"}, {}) == {"port": 6379}
    assert expand_settings({"port": "${P:-6379}"}, {"P": "16379"}) == {"port": 16379}
    for wrong in ("abc", "5432x", "0", "65536", "-1"):
        with pytest.raises(SettingError, match="not a port number") as raised:
            expand_settings({"port": "${DB_PORT:-}"}, {"DB_PORT": wrong})
        assert "port ('${DB_PORT:-}')" in str(raised.value)
    assert port_number(65535) == 65535


def test_the_error_names_the_setting_and_the_variable_but_no_value():
    with pytest.raises(MissingSetting) as raised:
        expand_settings({"password": "${DB_PASSWORD}"}, {})
    assert str(raised.value).startswith("password ('${DB_PASSWORD}'): needs the")
    assert "DB_PASSWORD" in str(raised.value)
