"""Start the real action server and Rasa server on loopback, and talk to them."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
MODEL = ROOT / "models" / "current.tar.gz"
ENDPOINTS = ROOT / "endpoints.yml"  # the shipped file, read with the environment
STARTUP_SECONDS = 240


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="2",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
    )
    return env


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early; log:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise RuntimeError(
        f"{url} not up in {STARTUP_SECONDS} s; log:\n{log.read_text()[-3000:]}"
    )


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class ActionServer:
    """The project's action server (`make actions`) on a loopback port.

    ``secret``, if set, is the shared secret it demands (ACTION_SERVER_SECRET).
    """

    workdir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    secret: str = ""

    @property
    def url(self) -> str:
        """Where it listens."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ActionServer:
        """Start it and wait until it answers."""
        log = self.workdir / f"actions-{self.port}.log"
        self.process = subprocess.Popen(
            [str(BIN / "python"), "-m", "scripts.action_server", "--actions"]
            + ["actions", "--port", str(self.port)],
            cwd=ROOT,
            env={**_environment(), "ACTION_SERVER_SECRET": self.secret},
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        _wait_until_up(f"{self.url}/health", self.process, log)
        return self

    def stop(self) -> None:
        """Stop it (SIGINT, then SIGKILL after 20 s)."""
        _stop(self.process)


@dataclass
class RasaServer:
    """The trained bot, started as `make run` starts it, on its own SQLite file.

    Started by the launcher (``python -m assistant.server.launch run``) with
    the shipped endpoints.yml and the environment: ``ACTION_SERVER_URL`` (the
    action server at ``action_server_url``, if given), ``DB_NAME``
    (``database``), and whatever ``extra_env`` adds (``DB_*``, ``REDIS_*`` for
    PostgreSQL and Redis). Unless ``enable_api`` is False, Rasa's HTTP API is
    on behind a random ``auth_token`` (``tracker`` sends it), given in the
    environment, never on the command line. ``action_secret`` is sent to the
    action server (ACTION_SERVER_SECRET); the widget secret is kept in
    ``workdir``.
    """

    workdir: Path
    database: Path
    action_server_url: str
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    credentials: Path = ROOT / "credentials.yml"
    # Rasa's --connector: only this channel of the credentials file
    connector: str | None = None
    model: Path = MODEL
    project: Path = ROOT  # the folder the server runs in (its code and data)
    # the shipped file; the peer in `make bench` (a stock `rasa init` bot) has
    # its own, which the shipped one cannot replace
    endpoints: Path = ENDPOINTS
    enable_api: bool = True
    auth_token: str = field(default_factory=lambda: secrets.token_hex(16))
    action_secret: str = ""
    name: str = "rasa"

    @property
    def url(self) -> str:
        """Where it listens."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        """The server's output."""
        return self.workdir / f"{self.name}-{self.port}.log"

    def start(self) -> RasaServer:
        """Start it and wait until it answers."""
        return self.launch().wait_until_up()

    def wait_until_up(self) -> RasaServer:
        """Wait until a launched server answers."""
        assert self.process is not None
        _wait_until_up(f"{self.url}/webhooks/rest/", self.process, self.log)
        return self

    def launch(self) -> RasaServer:
        """Start it without waiting (start several, then wait for each)."""
        if not self.model.exists():
            raise RuntimeError(f"No trained model at {self.model}: run `make train`.")
        log = self.log
        environment = {
            **_environment(),
            "DB_NAME": str(self.database),
            "ACTION_SERVER_SECRET": self.action_secret,
            "WIDGET_SECRET_FILE": str(self.workdir / "widget-secret"),
            "OPERATOR_TOKEN_FILE": str(self.workdir / "operator-token"),
            **(
                {"RASA_ENABLE_API": "1", "RASA_AUTH_TOKEN": self.auth_token}
                if self.enable_api
                else {"RASA_ENABLE_API": "0"}
            ),
            **self.extra_env,
        }
        if self.action_server_url:
            environment["ACTION_SERVER_URL"] = f"{self.action_server_url}/webhook"
        if self.project != ROOT:  # the launcher comes from this project
            environment["PYTHONPATH"] = str(ROOT)
        self.process = subprocess.Popen(
            [str(BIN / "python"), "-m", "assistant.server.launch", "run"]
            + ["--model", str(self.model)]
            + ["--interface", "127.0.0.1", "--port", str(self.port)]
            + ["--endpoints", str(self.endpoints)]
            + ["--credentials", str(self.credentials)]
            + (["--connector", self.connector] if self.connector else []),
            cwd=self.project,
            env=environment,
            stdout=log.open("a"),
            stderr=subprocess.STDOUT,
        )
        return self

    def stop(self) -> None:
        """Stop it (SIGINT, then SIGKILL after 20 s)."""
        _stop(self.process)

    def send(
        self,
        sender: str,
        message: str,
        metadata: dict[str, Any] | None = None,
        token: str | None = None,
    ) -> list[dict[str, Any]]:
        """POST a message to the REST channel; the bot's replies.

        A widget conversation (from ``/webhooks/widget/session``) needs its token.
        """
        body: dict[str, Any] = {"sender": sender, "message": message}
        if metadata is not None:
            body["metadata"] = metadata
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = requests.post(
            f"{self.url}/webhooks/rest/webhook", json=body, headers=headers, timeout=60
        )
        assert response.status_code == 200, response.text
        return response.json()

    def texts(self, sender: str, message: str, **kwargs: Any) -> list[str]:
        """The texts of the bot's replies to one message."""
        return [reply.get("text", "") for reply in self.send(sender, message, **kwargs)]

    def tracker(self, sender: str) -> dict[str, Any]:
        """The conversation as the tracker store keeps it."""
        response = requests.get(
            f"{self.url}/conversations/{sender}/tracker",
            params={"token": self.auth_token},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        return response.json()
