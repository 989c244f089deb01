"""How make run starts Rasa: own origins only, the API off unless asked with a token."""

import pytest

from assistant.config.server_settings import (
    RunTimeSettings,
    SettingError,
    access_log_written,
    action_timeout_seconds,
    concurrent_messages_limit,
    queued_messages_bound,
    rasa_run_arguments,
    run_time_settings,
    same_page_or_allowed,
    sanic_environment,
)


def test_by_default_only_the_servers_own_pages_and_no_api():
    assert rasa_run_arguments({}, 5005) == [
        "--cors",
        "http://127.0.0.1:5005",
        "http://localhost:5005",
    ]


def test_origins_come_from_the_setting():
    environment = {"ALLOWED_ORIGINS": "https://www.example.dk, https://b.example:8443"}
    assert rasa_run_arguments(environment, 5005) == [
        "--cors",
        "https://www.example.dk",
        "https://b.example:8443",
    ]


@pytest.mark.parametrize("origins", ["*", "https://a.example/path", "example.dk"])
def test_any_origin_or_a_non_origin_is_refused(origins):
    with pytest.raises(SettingError):
        rasa_run_arguments({"ALLOWED_ORIGINS": origins}, 5005)


def test_the_api_only_with_a_token():
    with pytest.raises(SettingError):
        rasa_run_arguments({"RASA_ENABLE_API": "1"}, 5005)
    with pytest.raises(SettingError, match="at least 32"):
        rasa_run_arguments({"RASA_ENABLE_API": "1", "RASA_AUTH_TOKEN": "t" * 31}, 5005)
    long_enough = "t" * 32
    arguments = rasa_run_arguments(
        {"RASA_ENABLE_API": "1", "RASA_AUTH_TOKEN": long_enough}, 5005
    )
    assert arguments[-3:] == ["--enable-api", "--auth-token", long_enough]
    assert "--enable-api" not in rasa_run_arguments({"RASA_ENABLE_API": "0"}, 5005)


@pytest.mark.parametrize("token", ["x", "a-long-enough-token", "t" * 31])
@pytest.mark.parametrize("enable", ["1", "0", ""])
def test_a_short_api_token_is_refused_whether_the_api_is_on_or_not(token, enable):
    with pytest.raises(SettingError, match="RASA_AUTH_TOKEN has .* at least 32"):
        rasa_run_arguments({"RASA_ENABLE_API": enable, "RASA_AUTH_TOKEN": token}, 5005)


def test_socketio_allows_the_same_pages_as_the_http_cors():
    request = {"wsgi.url_scheme": "http", "HTTP_HOST": "127.0.0.1:5005"}
    by_default = same_page_or_allowed({})
    assert by_default("http://127.0.0.1:5005", request)  # the demo page
    assert not by_default("http://evil.example", request)
    assert not by_default(None, request)
    configured = same_page_or_allowed(
        {"ALLOWED_ORIGINS": "https://www.example.dk, https://b.example"}
    )
    assert configured("https://b.example", request)
    assert configured("http://127.0.0.1:5005", request)
    assert not configured("https://www.example.dk.evil.example", request)
    assert not same_page_or_allowed({"ALLOWED_ORIGINS": "*"})(
        "http://x.example", request
    )


def test_the_queue_bound_is_a_whole_number_with_a_default():
    assert queued_messages_bound({}) == 100
    assert queued_messages_bound({"MAX_QUEUED_MESSAGES": " 7 "}) == 7
    assert queued_messages_bound({"MAX_QUEUED_MESSAGES": "0"}) == 0
    for wrong in ("-1", "ten", "2.5"):
        with pytest.raises(SettingError, match="MAX_QUEUED_MESSAGES"):
            queued_messages_bound({"MAX_QUEUED_MESSAGES": wrong})


def test_the_concurrency_limit_is_a_whole_number_zero_meaning_none():
    assert concurrent_messages_limit({}) == 2
    assert concurrent_messages_limit({"MAX_CONCURRENT_MESSAGES": "4"}) == 4
    assert concurrent_messages_limit({"MAX_CONCURRENT_MESSAGES": "0"}) == 0
    assert concurrent_messages_limit({"MAX_CONCURRENT_MESSAGES": " "}) == 2
    for wrong in ("-1", "many", "1.5"):
        with pytest.raises(SettingError, match="MAX_CONCURRENT_MESSAGES"):
            concurrent_messages_limit({"MAX_CONCURRENT_MESSAGES": wrong})


def test_the_action_timeout_is_seconds_above_zero_up_to_rasas_own_300():
    assert action_timeout_seconds({}) == 4.0
    assert action_timeout_seconds({"ACTION_SERVER_TIMEOUT_SECONDS": "1.5"}) == 1.5
    assert action_timeout_seconds({"ACTION_SERVER_TIMEOUT_SECONDS": "300"}) == 300
    for wrong in ("0", "-2", "soon", "nan", "inf", "301"):
        with pytest.raises(SettingError, match="ACTION_SERVER_TIMEOUT_SECONDS"):
            action_timeout_seconds({"ACTION_SERVER_TIMEOUT_SECONDS": wrong})


def test_the_run_time_settings_are_read_together():
    assert run_time_settings({}) == RunTimeSettings(2, 100, 4.0)
    environment = {
        "MAX_CONCURRENT_MESSAGES": "3",
        "MAX_QUEUED_MESSAGES": "9",
        "ACTION_SERVER_TIMEOUT_SECONDS": "2",
    }
    assert run_time_settings(environment) == RunTimeSettings(3, 9, 2.0)


def test_bodies_and_websocket_frames_are_limited_to_64_kb_unless_told_otherwise():
    assert sanic_environment({}) == {
        "SANIC_REQUEST_MAX_SIZE": "65536",
        "SANIC_WEBSOCKET_MAX_SIZE": "65536",
        "SANIC_ACCESS_LOG": "False",
    }
    told = {
        "SANIC_REQUEST_MAX_SIZE": "1000",
        "SANIC_WEBSOCKET_MAX_SIZE": "2000",
        "SANIC_ACCESS_LOG": "True",
    }
    assert sanic_environment(told) == told


@pytest.mark.parametrize(
    ("level", "written"),
    [
        (None, False),  # Rasa's default: ERROR
        ("", False),
        ("ERROR", False),
        ("WARNING", False),
        ("CRITICAL", False),
        ("INFO", True),
        ("DEBUG", True),
        ("info", True),
        (" debug ", True),
    ],
)
def test_the_access_log_is_on_only_where_rasa_lets_its_lines_through(level, written):
    environment = {} if level is None else {"LOG_LEVEL_LIBRARIES": level}
    assert access_log_written(environment) is written
    assert sanic_environment(environment)["SANIC_ACCESS_LOG"] == str(written)
