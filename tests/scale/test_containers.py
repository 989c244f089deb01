"""The container images, run by docker-compose with host networking.

`make test-scale` builds the images first (`make image`). The whole deployment
of deploy/docker-compose.yml (PostgreSQL, Redis, HAProxy, two Rasa servers,
the action server) starts on free 127.0.0.1 ports, under a project name of
its own, and is removed with its volume afterwards.
"""

import os
import secrets
import subprocess
import time
from collections.abc import Iterator

import pytest
import requests

from harness.servers import ROOT, free_port

COMPOSE = ROOT / "deploy" / "docker-compose.yml"
DOCKER = "/usr/bin/docker"
STARTUP_SECONDS = 300


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


@pytest.fixture(scope="module")
def deployment() -> Iterator[dict[str, str]]:
    env = {
        "COMPOSE_PROJECT_NAME": f"rasa-smoke-{os.getpid()}",
        "DB_PASSWORD": secrets.token_hex(12),
        "REDIS_PASSWORD": secrets.token_hex(12),
        **{
            name: str(free_port())
            for name in (
                "LB_PORT", "RASA1_PORT", "RASA2_PORT", "DB_PORT", "REDIS_PORT",
                "ACTIONS_PORT",
            )
        },
    }  # fmt: skip
    try:
        _compose(env, "up", "-d", timeout=STARTUP_SECONDS)
        yield env
    finally:
        logs = subprocess.run(
            ["docker-compose", "-f", str(COMPOSE), "logs", "--tail=30"],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
        ).stdout
        (ROOT / "var").mkdir(exist_ok=True)
        (ROOT / "var" / "compose-smoke.log").write_text(logs)
        _compose(env, "down", "--volumes", "--timeout", "20")


def test_the_compose_file_is_valid():
    env = {"DB_PASSWORD": "x", "REDIS_PASSWORD": "y"}
    services = _compose(env, "config", "--services").split()
    assert sorted(services) == [
        "actions",
        "haproxy",
        "postgres",
        "rasa1",
        "rasa2",
        "redis",
    ]


def test_the_compose_file_needs_the_secrets_from_the_environment():
    result = subprocess.run(
        ["docker-compose", "-f", str(COMPOSE), "config", "-q"],
        env={k: v for k, v in os.environ.items() if not k.endswith("_PASSWORD")},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "DB_PASSWORD" in result.stderr


def test_the_containers_answer_in_danish_through_the_load_balancer(deployment):
    url = f"http://127.0.0.1:{deployment['LB_PORT']}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            if requests.get(f"{url}/lb-health", timeout=2).ok:
                break
        except requests.ConnectionError:
            pass
        assert time.monotonic() < deadline, "the load balancer did not come up"
        time.sleep(1)
    replies = []
    for _ in range(30):  # until HAProxy sees the Rasa servers up
        response = requests.post(
            f"{url}/webhooks/rest/webhook",
            json={"sender": "container-anna", "message": "Hvad er bækkenløsning?"},
            timeout=60,
        )
        if response.status_code == 200:
            replies = response.json()
            break
        time.sleep(2)
    assert replies, "no reply through the load balancer"
    assert replies[0]["text"].startswith("Bækkenløsning"), replies
    # the referral check needs the action server container
    replies = requests.post(
        f"{url}/webhooks/rest/webhook",
        json={"sender": "container-anna", "message": "Hvem skal jeg kontakte?"},
        timeout=60,
    ).json()
    assert replies[-1]["text"].startswith("Først"), replies  # the red-flag question
    assert [b["payload"] for b in replies[-1]["buttons"]] == ["/affirm", "/deny"]


def test_every_container_is_healthy_and_the_bot_runs_as_no_root(deployment):
    ids = _compose(deployment, "ps", "-q").split()
    assert len(ids) == 6
    deadline = time.monotonic() + 60
    while True:
        states = subprocess.run(
            [DOCKER, "inspect", "--format", "{{.Name}} {{.State.Health.Status}}", *ids],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split("\n")
        if all(line.endswith("healthy") for line in states if line):
            break
        assert time.monotonic() < deadline, states
        time.sleep(2)
    for service in ("rasa1", "actions"):
        uid = _compose(deployment, "exec", "-T", service, "id", "-u").strip()
        assert uid != "0", service
