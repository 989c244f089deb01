"""endpoints.yml settings from the environment, with defaults."""

import pytest

from assistant.stores.environment import MissingSetting, expand, expand_settings


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
    assert expand_settings(settings, {}) == {
        "dialect": "sqlite",
        "url": None,
        "port": 5432,
        "x": None,
    }
