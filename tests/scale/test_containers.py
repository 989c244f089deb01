"""The container deployment as shipped: deploy/docker-compose.yml and its images.

`make test-scale` builds the images first (`make image`). The whole deployment
(PostgreSQL, Redis, HAProxy, two Rasa servers, the action server) starts on
free 127.0.0.1 ports under a project name of its own, with the secrets an
operator sets, and is removed with its volume afterwards. What an operator and
a woman using the widget would notice is checked: replies in Danish through
the load balancer, the referral check end to end (the action server), the
widget's session, history and erasure whichever server answers, nothing
listening on every interface, no secret on a command line, the action server
refusing calls without its secret, and the hardening of every container.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from harness.servers import ROOT, free_port
from harness.services import LOAD_TEST_LIMITS
from tests.scale.listening import listening_sockets
from tests.scale.widget_erasure import erase_conversations_through, postgres_row_counter

COMPOSE = ROOT / "deploy" / "docker-compose.yml"
DOCKER = "/usr/bin/docker"
STARTUP_SECONDS = 300
SECRETS = ("DB_PASSWORD", "REDIS_PASSWORD", "WIDGET_SECRET", "ACTION_SERVER_SECRET")
# the HTTP API is on in the test deployment, so its token is a secret to keep too
API = {"RASA_ENABLE_API": "1", "RASA_AUTH_TOKEN": secrets.token_hex(24)}
SERVICES = ["actions", "haproxy", "postgres", "rasa1", "rasa2", "redis"]
PORTS = ("LB_PORT", "RASA1_PORT", "RASA2_PORT", "DB_PORT", "REDIS_PORT", "ACTIONS_PORT")


def _compose(env: dict[str, str], *args: str, timeout: float = 600) -> str:
    result = subprocess.run(
        ["docker-compose", "-f", str(COMPOSE), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _docker(*args: str) -> str:
    return subprocess.run(
        [DOCKER, *args], capture_output=True, text=True, check=True
    ).stdout


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _wait_for(url: str, what: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while not _answers(url):
        assert time.monotonic() < deadline, f"{what} did not come up"
        time.sleep(1)


@pytest.fixture(scope="module")
def deployment() -> Iterator[dict[str, str]]:
    env = {
        "COMPOSE_PROJECT_NAME": f"rasa-smoke-{os.getpid()}",
        **{name: secrets.token_hex(32) for name in SECRETS},
        **{name: str(free_port()) for name in PORTS},
        **API,
        # the erasure load: 20 widget conversations from one address at once
        **LOAD_TEST_LIMITS,
    }
    try:
        _compose(env, "up", "-d", timeout=STARTUP_SECONDS)
        for name in ("RASA1_PORT", "RASA2_PORT"):
            _wait_for(f"http://127.0.0.1:{env[name]}/webhooks/rest/", name)
        _wait_for(f"http://127.0.0.1:{env['LB_PORT']}/lb-health", "HAProxy")
        yield env
    finally:
        logs = subprocess.run(
            ["docker-compose", "-f", str(COMPOSE), "logs", "--tail=60"],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
        ).stdout
        (ROOT / "var").mkdir(exist_ok=True)
        (ROOT / "var" / "compose-smoke.log").write_text(logs)
        _compose(env, "down", "--volumes", "--timeout", "20")


@pytest.fixture(scope="module")
def lb(deployment) -> str:
    """The load balancer's URL, once it sends traffic to both Rasa servers."""
    url = f"http://127.0.0.1:{deployment['LB_PORT']}"
    deadline = time.monotonic() + 60
    while True:
        response = requests.post(
            f"{url}/webhooks/rest/webhook",
            json={"sender": "container-warm-up", "message": "hej"},
            timeout=60,
        )
        if response.status_code == 200 and response.json():
            return url
        assert time.monotonic() < deadline, response.text
        time.sleep(2)


def _database_url(deployment: dict[str, str]) -> str:
    """The deployment's PostgreSQL, as the Rasa servers reach it."""
    return (
        f"postgresql://rasa:{deployment['DB_PASSWORD']}"
        f"@127.0.0.1:{deployment['DB_PORT']}/rasa"
    )


def _container_ids(deployment: dict[str, str]) -> dict[str, str]:
    ids = _compose(deployment, "ps", "-q").split()
    label = '{{ index .Config.Labels "com.docker.compose.service" }}'
    names = _docker("inspect", "--format", label, *ids).split()
    return dict(zip(names, ids, strict=True))


def _host_pids(container: str) -> list[int]:
    lines = _docker("top", container, "-eo", "pid").split("\n")[1:]
    return [int(line) for line in lines if line.strip()]


def _send(url: str, sender: str, message: str, token: str = "") -> list[dict]:
    response = requests.post(
        f"{url}/webhooks/rest/webhook",
        json={"sender": sender, "message": message},
        headers={"Authorization": f"Bearer {token}"} if token else {},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_the_compose_file_is_valid():
    env = {name: "x" * 64 for name in SECRETS}
    services = _compose(env, "config", "--services").split()
    assert sorted(services) == SERVICES


@pytest.mark.parametrize("missing", SECRETS)
def test_the_compose_file_refuses_to_start_without_each_secret(missing):
    env = {k: v for k, v in os.environ.items() if k not in SECRETS}
    env.update({name: "x" * 64 for name in SECRETS if name != missing})
    result = subprocess.run(
        ["docker-compose", "-f", str(COMPOSE), "config", "-q"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and f"set {missing}" in result.stderr


def test_the_images_carry_the_project_version():
    version = next(
        line.split('"')[1]
        for line in (ROOT / "pyproject.toml").read_text().splitlines()
        if line.startswith("version = ")
    )
    for image in ("rasa", "actions"):
        tagged = _docker("image", "inspect", "--format", "{{.Id}}",
                         f"baekkenloesning/{image}:{version}").strip()  # fmt: skip
        latest = _docker("image", "inspect", "--format", "{{.Id}}",
                         f"baekkenloesning/{image}:latest").strip()  # fmt: skip
        assert tagged == latest


def test_the_containers_answer_in_danish_through_the_load_balancer(lb):
    replies = _send(lb, "container-anna", "Hvad er bækkenløsning?")
    assert replies[0]["text"].startswith("Bækkenløsning"), replies
    # the image carries the source map: the answer's article sentences come along
    source = replies[0]["metadata"]["source"]
    assert [s["n"] for s in source["sentences"]] == [25, 30, 32, 38], source


def test_the_referral_check_runs_end_to_end_with_the_action_server(lb):
    sender = "container-referral"
    replies = _send(lb, sender, "Hvem skal jeg kontakte?")
    # her stage first, then the red-flag question for her stage
    assert replies[-1]["text"] == (
        "Er du gravid, har du født, eller planlægger du at blive gravid?"
    ), replies
    red_flags = _send(lb, sender, "gravid")[-1]
    assert red_flags["text"].startswith("Gælder et eller flere af disse tegn")
    assert [b["payload"] for b in red_flags["buttons"]] == ["/affirm", "/deny"]
    assert _send(lb, sender, "/deny")[-1]["text"].startswith("Hvor ondt gør det")
    assert _send(lb, sender, "7-8")[-1]["text"].startswith(
        "Hvad har du svært ved på grund af smerterne?"
    )
    _send(lb, sender, "trapper og at sove")
    advice = [reply.get("text", "") for reply in _send(lb, sender, "nej")]
    assert advice[0].startswith("Du har fortalt mig, at du er gravid"), advice
    assert "7–8 ud af 10" in advice[0] and "trapper" in advice[0], advice
    assert any("læge" in text or "jordemoder" in text for text in advice[1:]), advice


def test_the_action_server_refuses_calls_without_the_secret(deployment):
    url = f"http://127.0.0.1:{deployment['ACTIONS_PORT']}"
    call = {
        "next_action": "action_suggest_topics",
        "tracker": {"sender_id": "x", "slots": {}, "latest_message": {"text": "hi"}},
        "domain": {},
    }
    for headers in ({}, {"X-Action-Secret": "wrong"}):
        response = requests.post(
            f"{url}/webhook", json=call, headers=headers, timeout=30
        )
        assert response.status_code == 403, response.text
    right = {"X-Action-Secret": deployment["ACTION_SERVER_SECRET"]}
    # a path variant is no way round the check, even with the secret
    response = requests.post(f"{url}/webhook/", json=call, headers=right, timeout=30)
    assert response.status_code == 404, response.text
    response = requests.post(f"{url}/webhook", json=call, headers=right, timeout=30)
    assert response.status_code == 200 and response.json()["responses"]


def test_nothing_in_the_containers_listens_on_every_interface(deployment, lb):
    containers = _container_ids(deployment)
    assert sorted(containers) == SERVICES
    pids = {service: _host_pids(cid) for service, cid in containers.items()}
    sockets = listening_sockets(
        Path("/proc"), {pid for service_pids in pids.values() for pid in service_pids}
    )
    open_to_all = [s for s in sockets if not s.address_is_loopback]
    assert open_to_all == []
    ports = {s.port for s in sockets}
    for name in PORTS:
        assert int(deployment[name]) in ports, name  # each listens, on loopback


def test_no_secret_is_on_any_command_line(deployment, lb):
    values = [deployment[name] for name in (*SECRETS, "RASA_AUTH_TOKEN")]
    for service, container in _container_ids(deployment).items():
        for pid in _host_pids(container):
            try:
                command = (
                    Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace")
                )
            except FileNotFoundError:  # a health check that just ended
                continue
            assert not any(value in command for value in values), service


def test_every_container_is_hardened_and_the_bot_runs_as_no_root(deployment, lb):
    containers = _container_ids(deployment)
    for service, container in containers.items():
        host = _docker(
            "inspect", "--format",
            "{{.HostConfig.ReadonlyRootfs}} {{.HostConfig.Memory}} "
            "{{json .HostConfig.CapDrop}} {{json .HostConfig.SecurityOpt}}",
            container,
        ).split()  # fmt: skip
        read_only, memory, cap_drop, security = host
        assert read_only == "true", service
        assert int(memory) > 0, service
        assert "ALL" in cap_drop, service
        assert "no-new-privileges" in security, service
    deadline = time.monotonic() + 60
    while True:
        states = _docker(
            "inspect", "--format", "{{.Name}} {{.State.Health.Status}}",
            *containers.values(),
        ).split("\n")  # fmt: skip
        if all(line.endswith(" healthy") for line in states if line):
            break
        assert time.monotonic() < deadline, states
        time.sleep(2)
    for service in ("rasa1", "rasa2", "actions", "redis", "haproxy"):
        uid = _compose(deployment, "exec", "-T", service, "id", "-u").strip()
        assert uid != "0", service


def test_a_widget_token_from_one_server_is_good_on_the_other(deployment, lb):
    one = f"http://127.0.0.1:{deployment['RASA1_PORT']}"
    other = f"http://127.0.0.1:{deployment['RASA2_PORT']}"
    session = requests.post(f"{one}/webhooks/widget/session", timeout=30).json()
    _send(one, session["sender"], "Hvad er bækkenløsning?", session["token"])
    history = requests.get(
        f"{other}/webhooks/widget/history",
        headers={"Authorization": f"Bearer {session['token']}"},
        timeout=30,
    )
    assert history.status_code == 200, history.text
    texts = [message["text"] for message in history.json()["messages"]]
    assert "Hvad er bækkenløsning?" in texts


def test_the_http_api_needs_its_token_on_every_server(deployment, lb):
    for name in ("RASA1_PORT", "RASA2_PORT"):
        url = f"http://127.0.0.1:{deployment[name]}/status"
        assert requests.get(url, timeout=30).status_code == 401
        token = {"token": deployment["RASA_AUTH_TOKEN"]}
        assert requests.get(url, params=token, timeout=30).status_code == 200


def test_twenty_widget_conversations_erased_through_haproxy_leave_no_row(
    deployment, lb
):
    servers = [
        f"http://127.0.0.1:{deployment[name]}" for name in ("RASA1_PORT", "RASA2_PORT")
    ]
    run = erase_conversations_through(
        lb, postgres_row_counter(_database_url(deployment)), server_urls=servers
    )
    assert run.rows_left == 0 and len(run.conversations) == 20


def test_retention_purges_an_old_conversation_when_a_server_starts(deployment, lb):
    """Retention runs inside the Rasa server (its tracker store), not the widget."""
    old, fresh = "container-old-conversation", "container-fresh-conversation"
    _send(lb, old, "Hvad er bækkenløsning?")
    _send(lb, fresh, "Hvad er bækkenløsning?")
    engine = sa.create_engine(_database_url(deployment))
    try:
        with engine.begin() as connection:
            connection.execute(  # 40 days ago, past RETENTION_DAYS (30)
                sa.text(
                    "UPDATE events SET timestamp = timestamp - 40 * 86400 "
                    "WHERE sender_id = :sender"
                ),
                {"sender": old},
            )
        _compose(deployment, "restart", "rasa2")
        deadline = time.monotonic() + 120
        while True:
            with engine.connect() as connection:
                rows = dict(
                    connection.execute(
                        sa.text(
                            "SELECT sender_id, count(*) FROM events "
                            "WHERE sender_id IN (:old, :fresh) GROUP BY sender_id"
                        ),
                        {"old": old, "fresh": fresh},
                    ).all()
                )
            if old not in rows:
                break
            assert time.monotonic() < deadline, f"not purged: {rows}"
            time.sleep(2)
        assert rows.get(fresh, 0) > 0  # the fresh conversation is kept
    finally:
        engine.dispose()
