"""PostgreSQL, Redis and HAProxy from Debian's packages, on 127.0.0.1, in a folder.

Each service runs in a folder of its own with a port of its own, never as a
system service and never on its default port, and ``stop()`` ends exactly the
process it started. PostgreSQL runs as the ``postgres`` user when started by
root (it refuses to run as root). Installed by `make services`.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.servers import ROOT, free_port

HAPROXY_CONFIG = ROOT / "deploy" / "haproxy.cfg"

# The limits deploy/haproxy.cfg reads (its shipped defaults are there, and only
# there). A LoadBalancer started without ``limits`` runs with those defaults,
# whatever the caller's environment says.
RATE_LIMIT_VARIABLES = (
    "RATE_LIMIT_CLIENT_REQUESTS",
    "RATE_LIMIT_CONVERSATION_REQUESTS",
    "RATE_LIMIT_SESSIONS",
    "MAX_CONNECTIONS_PER_CLIENT",
)

# For load only (`make bench`, `make cluster`, the scale tests' load): they
# send many conversations from one address, each faster than a person types,
# which the shipped limits would rightly refuse. Never for the limits' tests.
LOAD_TEST_LIMITS = dict.fromkeys(RATE_LIMIT_VARIABLES, "1000000")


def postgres_binaries() -> Path:
    """The newest PostgreSQL server's bin folder (Debian installs them per version)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parts[-3]),
    )
    if not found:
        raise RuntimeError("PostgreSQL is not installed: run `make services`.")
    return Path(found[-1]).parent


def _wait_for(check: object, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not come up within {seconds:.0f} s")


def _terminate(process: subprocess.Popen | None, seconds: float = 15) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class Postgres:
    """A PostgreSQL server with one database and one password-protected user."""

    folder: Path | None = None
    port: int = field(default_factory=free_port)
    database: str = "rasa"
    user: str = "rasa"
    password: str = field(default_factory=lambda: secrets.token_hex(12))

    @property
    def _as_postgres(self) -> list[str]:
        return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    @property
    def data(self) -> Path:
        """The database cluster's folder."""
        assert self.folder is not None
        return self.folder / "data"

    def _ctl(self, *args: str) -> None:
        subprocess.run(
            self._as_postgres + [str(postgres_binaries() / "pg_ctl"), *args],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def superuser_sql(self, statement: str) -> None:
        """Run one statement as the superuser (postgres), over the socket."""
        assert self.folder is not None
        subprocess.run(
            self._as_postgres
            + [str(postgres_binaries() / "psql"), "-h", str(self.folder)]
            + ["-p", str(self.port), "-U", "postgres", "-d", "postgres"]
            + ["-v", "ON_ERROR_STOP=1", "-q", "-c", statement],
            check=True,
            capture_output=True,
            timeout=30,
        )

    def start(self) -> Postgres:
        """Create the cluster (first time), start it, create user and database."""
        fresh = self.folder is None or not (self.folder / "data").exists()
        if self.folder is None:
            # under /tmp, not pytest's root-only folders: postgres must reach it
            self.folder = Path(tempfile.mkdtemp(prefix="rasa-postgres-"))
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        if fresh:
            subprocess.run(
                self._as_postgres
                + [str(postgres_binaries() / "initdb"), "-D", str(self.data)]
                + ["-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256"]
                + ["--encoding=UTF8", "--locale=C.UTF-8"],
                check=True,
                capture_output=True,
                timeout=120,
            )
        self._start_server()
        if fresh:
            self.superuser_sql(
                f"CREATE ROLE {self.user} LOGIN PASSWORD '{self.password}'"
            )
            self.superuser_sql(f"CREATE DATABASE {self.database} OWNER {self.user}")
        return self

    def _start_server(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c max_connections=100 "
            # as deploy/postgres-entrypoint.sh: no failed statement in the log
            "-c log_min_error_statement=panic -c log_error_verbosity=terse"
        )
        assert self.folder is not None
        log = self.folder / "postgres.log"
        self._ctl(
            "start", "-w", "-t", "60", "-D", str(self.data), "-l", str(log),
            "-o", options,
        )  # fmt: skip

    def stop(self) -> None:
        """Stop the server (fast shutdown: open transactions are rolled back)."""
        if self.folder is not None and (self.data / "postmaster.pid").exists():
            self._ctl("stop", "-w", "-m", "fast", "-D", str(self.data))

    def restart(self, down_seconds: float = 0.0) -> None:
        """Stop, stay down a while, start again (same data, same port)."""
        self.stop()
        time.sleep(down_seconds)
        self._start_server()

    def remove(self) -> None:
        """Stop and delete the folder."""
        self.stop()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    def url(self) -> str:
        """SQLAlchemy URL for tests and tools."""
        return (
            f"postgresql://{self.user}:{self.password}@127.0.0.1:{self.port}/"
            f"{self.database}"
        )

    def store_settings(self) -> dict[str, Any]:
        """The keyword arguments of Rasa's SQL tracker store for this database."""
        return {
            "dialect": "postgresql",
            "host": "127.0.0.1",
            "port": self.port,
            "db": self.database,
            "username": self.user,
            "password": self.password,
        }

    def environment(self) -> dict[str, str]:
        """The variables endpoints.yml reads to use this database."""
        return {
            "DB_DIALECT": "postgresql",
            "DB_HOST": "127.0.0.1",
            "DB_PORT": str(self.port),
            "DB_NAME": self.database,
            "DB_USER": self.user,
            "DB_PASSWORD": self.password,
        }


@dataclass
class Redis:
    """A Redis server with a password, keeping nothing on disk."""

    folder: Path
    port: int = field(default_factory=free_port)
    password: str = field(default_factory=lambda: secrets.token_hex(12))
    process: subprocess.Popen | None = None

    def start(self) -> Redis:
        """Start it and wait until it answers PING."""
        import redis

        self.folder.mkdir(parents=True, exist_ok=True)
        config = self.folder / f"redis-{self.port}.conf"
        config.write_text(
            f"port {self.port}\nbind 127.0.0.1\nprotected-mode yes\n"
            f'dir "{self.folder}"\nsave ""\nappendonly no\n'
            f"requirepass {self.password}\n"
        )
        config.chmod(0o600)
        self.process = subprocess.Popen(
            ["/usr/bin/redis-server", str(config)],
            stdout=(self.folder / f"redis-{self.port}.log").open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        client = redis.Redis(port=self.port, password=self.password)

        def answers() -> bool:
            try:
                return bool(client.ping())
            except redis.RedisError:
                return False

        _wait_for(answers, "Redis")
        return self

    def stop(self) -> None:
        """Stop it (SIGTERM)."""
        _terminate(self.process)

    def environment(self) -> dict[str, str]:
        """The variables endpoints.yml reads to use this Redis."""
        return {
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": str(self.port),
            "REDIS_PASSWORD": self.password,
        }


@dataclass
class LoadBalancer:
    """HAProxy with deploy/haproxy.cfg in front of two Rasa servers."""

    folder: Path
    rasa_ports: tuple[int, int]
    routing: str = "by_conversation"
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    # None: the shipped limits; else some of RATE_LIMIT_VARIABLES' values
    limits: dict[str, str] | None = None

    @property
    def url(self) -> str:
        """Where clients connect."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def socket(self) -> Path:
        """HAProxy's runtime API socket."""
        return self.folder / f"haproxy-{self.port}.sock"

    def environment(self) -> dict[str, str]:
        """The variables deploy/haproxy.cfg reads."""
        return {
            "LB_PORT": str(self.port),
            "LB_ROUTING": self.routing,
            "RASA1_PORT": str(self.rasa_ports[0]),
            "RASA2_PORT": str(self.rasa_ports[1]),
            "HAPROXY_SOCKET": str(self.socket),
            **(self.limits or {}),
        }

    def start(self) -> LoadBalancer:
        """Start HAProxy in the foreground (-db) and wait for its health URI."""
        import requests

        self.folder.mkdir(parents=True, exist_ok=True)
        inherited = {
            name: value
            for name, value in os.environ.items()
            if name not in RATE_LIMIT_VARIABLES
        }
        self.process = subprocess.Popen(
            ["/usr/sbin/haproxy", "-db", "-f", str(HAPROXY_CONFIG)],
            env={**inherited, **self.environment()},
            stdout=(self.folder / f"haproxy-{self.port}.log").open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

        def answers() -> bool:
            try:
                return requests.get(f"{self.url}/lb-health", timeout=1).ok
            except requests.ConnectionError:
                return False

        _wait_for(answers, "HAProxy")
        return self

    def servers_up(self, backend: str | None = None) -> set[str]:
        """Names of the Rasa servers HAProxy's health checks see as up."""
        import socket as sockets

        backend = backend or f"rasa_{self.routing}"
        with sockets.socket(sockets.AF_UNIX) as client:
            client.connect(str(self.socket))
            client.sendall(b"show stat\n")
            raw = b""
            while chunk := client.recv(65536):
                raw += chunk
        up = set()
        for line in raw.decode().splitlines():
            fields = line.split(",")
            if (
                len(fields) > 17
                and fields[0] == backend
                and fields[1].startswith("rasa")
            ):
                if fields[17].startswith("UP"):
                    up.add(fields[1])
        return up

    def wait_for_servers(self, names: set[str], seconds: float = 30) -> None:
        """Wait until exactly these servers are up in HAProxy's eyes."""
        _wait_for(lambda: self.servers_up() == names, f"servers {names}", seconds)

    def stop(self) -> None:
        """Stop it (SIGTERM)."""
        _terminate(self.process)


def kill(process: subprocess.Popen | None) -> None:
    """SIGKILL, as when a machine or container dies."""
    if process is not None and process.poll() is None:
        process.send_signal(signal.SIGKILL)
        process.wait()
