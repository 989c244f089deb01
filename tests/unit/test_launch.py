"""The launcher: Rasa's command line with the settings from the environment."""

import subprocess

import pytest

from assistant.config.server_settings import SettingError
from assistant.server.launch import option_value, rasa_argv
from harness.servers import BIN, ROOT

TOKEN = "a-long-enough-token-0123456789abcdef"


def test_the_port_and_the_endpoints_file_are_read_as_rasa_reads_them():
    arguments = ["--port", "5011", "--endpoints=endpoints.yml", "-p", "5012"]
    assert option_value(arguments, "--port", "-p") == "5012"  # the last one wins
    assert option_value(arguments, "--endpoints") == "endpoints.yml"
    assert option_value(["--port"], "--port") is None


def test_rasa_gets_the_options_of_the_settings_after_the_callers():
    argv = rasa_argv("run", ["--port", "5011"], {})
    assert argv == [
        "rasa", "run", "--port", "5011",
        "--cors", "http://127.0.0.1:5011", "http://localhost:5011",
    ]  # fmt: skip
    with_api = rasa_argv(
        "shell", [], {"RASA_ENABLE_API": "1", "RASA_AUTH_TOKEN": TOKEN}
    )
    assert with_api[:2] == ["rasa", "shell"]
    assert with_api[-3:] == ["--enable-api", "--auth-token", TOKEN]
    assert "http://127.0.0.1:5005" in with_api  # Rasa's default port


@pytest.mark.parametrize(
    "command, arguments, environ",
    [
        ("train", [], {}),
        ("run", ["--port", "http"], {}),
        ("run", [], {"ALLOWED_ORIGINS": "*"}),
        ("run", [], {"RASA_ENABLE_API": "1"}),
    ],
)
def test_a_setting_that_would_leave_the_server_open_is_refused(
    command, arguments, environ
):
    with pytest.raises(SettingError):
        rasa_argv(command, arguments, environ)


def launch(*arguments: str, **environ: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "python"), "-m", "assistant.server.launch", *arguments],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **environ},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_malformed_port_in_the_shipped_file_stops_the_start_with_its_name():
    started = launch("run", "--endpoints", "endpoints.yml", DB_PORT="54x32")
    assert started.returncode == 2
    assert started.stderr.strip() == (
        "endpoints.yml, tracker_store.port ('${DB_PORT:-}'): "
        "'54x32' is not a port number (1-65535)."
    )


# The shipped files give every variable a default, so an unset one needs a
# file of its own: one line naming a variable that is not set.
@pytest.mark.parametrize(
    ("option", "text", "error"),
    [
        (
            "--endpoints",
            "action_endpoint:\n  url: ${ACTIONS_URL}\n",
            "action_endpoint.url ('${ACTIONS_URL}'): needs the environment ",
        ),
        (
            "--credentials",
            "callback:\n  url: ${RECEIVER_URL}\n",
            "callback.url ('${RECEIVER_URL}'): needs the environment ",
        ),
    ],
)
def test_an_unset_variable_stops_the_start_with_its_name(tmp_path, option, text, error):
    written = tmp_path / "settings.yml"
    written.write_text(text)
    started = launch("run", option, str(written))
    assert started.returncode == 2
    assert error in started.stderr
    assert "Traceback" not in started.stderr


def test_an_open_setting_stops_the_start_with_a_reason():
    started = launch("run", ALLOWED_ORIGINS="*")
    assert started.returncode == 2
    assert "ALLOWED_ORIGINS may not be '*'" in started.stderr
    assert launch().returncode == 2


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("MAX_CONCURRENT_MESSAGES", "two"),
        ("MAX_QUEUED_MESSAGES", "-1"),
        ("ACTION_SERVER_TIMEOUT_SECONDS", "0"),
    ],
)
def test_a_bad_run_time_setting_stops_the_start_with_its_name(variable, value):
    started = launch("run", **{variable: value})
    assert started.returncode == 2
    assert started.stderr.strip().startswith(f"{variable}={value!r}:")


def test_rasa_test_gets_no_server_options():
    from assistant.server.launch import rasa_argv

    arguments = ["core", "--stories", "tests/test_stories.yml"]
    assert rasa_argv("test", arguments, {}) == ["rasa", "test", *arguments]


def test_a_bad_retention_period_stops_the_start_with_what_is_expected():
    started = launch("run", RETENTION_DAYS="30 days")
    assert started.returncode == 2
    assert started.stderr.strip() == (
        "RETENTION_DAYS must be a whole number of days, at least 1 (conversations "
        "are deleted that long after their last message; default 30), "
        "not '30 days'."
    )


def entrypoint(**environ: str) -> subprocess.CompletedProcess:
    """The Rasa container's entrypoint, with the project's Python first on PATH."""
    return subprocess.run(
        ["/bin/sh", str(ROOT / "deploy" / "rasa-entrypoint.sh")],
        cwd=ROOT,
        env={"PATH": f"{BIN}:/usr/bin:/bin", **environ},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("environ", "says"),
    [
        ({"ALLOWED_ORIGINS": "*"}, "ALLOWED_ORIGINS may not be '*'"),
        ({"ALLOWED_ORIGINS": "https://www.example.dk, *"}, "may not be '*'"),
        ({"RASA_AUTH_TOKEN": "x"}, "RASA_AUTH_TOKEN has 1 characters"),
        (
            {"RASA_ENABLE_API": "1", "RASA_AUTH_TOKEN": "t" * 31},
            "RASA_AUTH_TOKEN has 31 characters: it needs at least 32",
        ),
    ],
)
def test_the_container_entrypoint_refuses_an_open_origin_or_a_short_token(
    environ, says
):
    started = entrypoint(**environ)
    assert started.returncode == 2
    assert says in started.stderr
    assert len(started.stderr.strip().splitlines()) == 1  # one clear line
