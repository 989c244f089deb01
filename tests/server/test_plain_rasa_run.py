"""A plain `rasa run` on the shipped files, as a Rasa user would start it.

`make run` and the images start Rasa through the project's launcher, which
reads endpoints.yml with the environment. Someone who types Rasa's own
`rasa run --endpoints endpoints.yml` gets Rasa's reader, which leaves the
quoted ``"${ACTION_SERVER_URL:-…}"`` as it is written: the custom actions (the
referral check) must still reach the action server named in the environment.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest
import requests

from harness.servers import (
    BIN,
    MODEL,
    ROOT,
    _environment,
    _stop,
    _wait_until_up,
    free_port,
)


@pytest.fixture(scope="module")
def plain_rasa_run(tmp_path_factory, action_server) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("plain-rasa-run")
    port = free_port()
    log = folder / "rasa.log"
    process = subprocess.Popen(
        [str(BIN / "rasa"), "run", "--model", str(MODEL)]
        + ["--interface", "127.0.0.1", "--port", str(port)]
        + ["--endpoints", "endpoints.yml", "--credentials", "credentials.yml"],
        cwd=ROOT,
        env={
            **_environment(),
            "ACTION_SERVER_URL": f"{action_server.url}/webhook",
            "ACTION_SERVER_SECRET": action_server.secret,
            "DB_NAME": str(folder / "conversations.db"),
            "WIDGET_SECRET_FILE": str(folder / "widget-secret"),
        },
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{url}/webhooks/rest/", process, log)
        yield url
    finally:
        _stop(process)


def test_the_referral_check_reaches_the_action_server(plain_rasa_run):
    replies = requests.post(
        f"{plain_rasa_run}/webhooks/rest/webhook",
        json={"sender": "plain-rasa-run", "message": "Hvem skal jeg kontakte?"},
        timeout=60,
    ).json()
    assert replies[-1]["text"].startswith("Er du gravid, har du født"), replies
    assert [b["payload"] for b in replies[-1]["buttons"]] == [
        "gravid",
        "har født",
        "planlægger en graviditet",
    ]
