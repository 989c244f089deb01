"""A cluster on one machine, all on 127.0.0.1, for tests and benchmarks.

PostgreSQL, Redis, HAProxy, two Rasa servers and the action server: the
services of the production deployment (``deploy/docker-compose.yml``), run
here as processes from Debian's packages and the project's venv.

Used by the scale tests, `make bench` and `make cluster`. The Rasa servers run
with the project's own endpoints.yml; the environment (DB_*, REDIS_*) points
them at PostgreSQL and Redis, as the compose file does.

Command line (what `make cluster` and `make cluster-stop` run):

    python -m harness.cluster up [--folder var/cluster] [--port 8005]
    python -m harness.cluster down [--folder var/cluster]

`up` starts every piece, checks each one's health, writes what it started to
``<folder>/cluster.json`` and returns, leaving them running; `down` stops
exactly the processes named there (and nothing else).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from harness.servers import ROOT, ActionServer, RasaServer, free_port
from harness.services import LOAD_TEST_LIMITS, LoadBalancer, Postgres, Redis, kill

# a ticket of a server that died expires after this many seconds, so its
# conversations' next messages are served by another server (Rasa's default: 60)
TICKET_LOCK_LIFETIME_SECONDS = 20


@dataclass
class Cluster:
    """Every piece of the deployment, started and stopped together."""

    folder: Path
    routing: str = "by_conversation"
    rasa_ports: tuple[int, int] = field(
        default_factory=lambda: (free_port(), free_port())
    )
    lb_port: int = field(default_factory=free_port)
    postgres: Postgres | None = None
    redis: Redis | None = None
    actions: ActionServer | None = None
    rasa: list[RasaServer] = field(default_factory=list)
    lb: LoadBalancer | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    auth_token: str = field(default_factory=lambda: secrets.token_hex(16))
    widget_secret: str = field(default_factory=lambda: secrets.token_hex(32))
    # HAProxy's limits: None, the shipped ones; LOAD_TEST_LIMITS for load
    limits: dict[str, str] | None = None
    # as `make run` (scripts/run.sh): only the Rasa servers may call it
    action_secret: str = field(default_factory=lambda: secrets.token_hex(16))

    def environment(self) -> dict[str, str]:
        """What the Rasa servers are given: where PostgreSQL and Redis are."""
        assert self.postgres is not None and self.redis is not None
        return {
            **self.postgres.environment(),
            **self.redis.environment(),
            "TICKET_LOCK_LIFETIME": str(TICKET_LOCK_LIFETIME_SECONDS),
            "WIDGET_SECRET": self.widget_secret,  # the same on every server
            **self.extra_env,
        }

    def rasa_server(self, index: int) -> RasaServer:
        """A (not yet started) Rasa server of this cluster, number 1 or 2."""
        assert self.actions is not None
        return RasaServer(
            self.folder,
            self.folder / "unused.db",
            self.actions.url,
            port=self.rasa_ports[index - 1],
            extra_env=self.environment(),
            name=f"rasa{index}",
            auth_token=self.auth_token,  # one token and one widget secret
            action_secret=self.action_secret,
        )

    def start(self, rasa_servers: int = 2) -> Cluster:
        """Start the services, the action server, the Rasa servers, HAProxy."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.postgres = Postgres().start()
        self.redis = Redis(self.folder).start()
        self.actions = ActionServer(self.folder, secret=self.action_secret).start()
        self.rasa = [self.rasa_server(i + 1).launch() for i in range(rasa_servers)]
        for server in self.rasa:
            server.wait_until_up()
        self.lb = LoadBalancer(
            self.folder,
            self.rasa_ports,
            self.routing,
            port=self.lb_port,
            limits=self.limits,
        ).start()
        self.lb.wait_for_servers({f"rasa{i + 1}" for i in range(rasa_servers)})
        return self

    def start_rasa(self, index: int) -> RasaServer:
        """Start Rasa server 1 or 2 (again) and wait until HAProxy sends to it."""
        assert self.lb is not None
        server = self.rasa_server(index).start()
        self.rasa = [s for s in self.rasa if s.port != server.port] + [server]
        self.lb.wait_for_servers({f"rasa{s.name[-1]}" for s in self.rasa if s.process})
        return server

    def kill_rasa(self, index: int) -> None:
        """SIGKILL Rasa server 1 or 2, as when its machine dies."""
        server = next(s for s in self.rasa if s.name == f"rasa{index}")
        kill(server.process)
        self.rasa.remove(server)

    @property
    def url(self) -> str:
        """Where clients connect: the load balancer."""
        assert self.lb is not None
        return self.lb.url

    def stop(self) -> None:
        """Stop everything this cluster started."""
        if self.lb:
            self.lb.stop()
        for server in self.rasa:
            server.stop()
        if self.actions:
            self.actions.stop()
        if self.redis:
            self.redis.stop()
        if self.postgres:
            self.postgres.remove()


def health(cluster: Cluster) -> dict[str, bool]:
    """Each piece's own health check."""
    import redis as redis_client
    import sqlalchemy as sa

    assert cluster.postgres and cluster.redis and cluster.actions and cluster.lb
    checks: dict[str, bool] = {}
    try:
        engine = sa.create_engine(cluster.postgres.url())
        with engine.connect() as connection:
            checks["postgresql"] = connection.exec_driver_sql("SELECT 1").scalar() == 1
        engine.dispose()
    except sa.exc.SQLAlchemyError:
        checks["postgresql"] = False
    try:
        client = redis_client.Redis(
            port=cluster.redis.port, password=cluster.redis.password
        )
        checks["redis"] = bool(client.ping())
    except redis_client.RedisError:
        checks["redis"] = False
    for name, url in [
        ("action server", f"{cluster.actions.url}/health"),
        *[(s.name, f"{s.url}/status") for s in cluster.rasa],
        ("haproxy", f"{cluster.url}/lb-health"),
    ]:
        try:
            checks[name] = requests.get(url, timeout=5).ok
        except requests.RequestException:
            checks[name] = False
    return checks


def _up(folder: Path, port: int, rasa_ports: tuple[int, int]) -> int:
    state = folder / "cluster.json"
    if state.exists():
        print(f"A cluster is already running ({state}); `make cluster-stop` first.")
        return 1
    # `make cluster` is for trying the deployment and for loading it from this
    # machine (one address, many conversations): the limits raised
    cluster = Cluster(
        folder, rasa_ports=rasa_ports, lb_port=port, limits=LOAD_TEST_LIMITS
    )
    try:
        cluster.start()
    except Exception:
        cluster.stop()
        raise
    assert cluster.postgres and cluster.redis and cluster.actions and cluster.lb
    state.write_text(
        json.dumps(
            {
                "pids": {
                    "haproxy": cluster.lb.process.pid,  # type: ignore[union-attr]
                    **{
                        s.name: s.process.pid  # type: ignore[union-attr]
                        for s in cluster.rasa
                    },
                    "action server": cluster.actions.process.pid,  # type: ignore[union-attr]
                    "redis": cluster.redis.process.pid,  # type: ignore[union-attr]
                },
                "postgres_folder": str(cluster.postgres.folder),
            },
            indent=2,
        )
    )
    checks = health(cluster)
    width = max(len(name) for name in checks)
    for name, ok in checks.items():
        print(f"  {name:<{width}}  {'healthy' if ok else 'NOT HEALTHY'}")
    print(
        f"\n  The cluster is up: two Rasa servers behind HAProxy on {cluster.url}\n"
        f"  Chat widget demo page: {cluster.url}/webhooks/widget/demo\n"
        f"  REST:  curl -s {cluster.url}/webhooks/rest/webhook -d "
        '\'{"sender": "me", "message": "Hvad er bækkenløsning?"}\'\n'
        f"  Logs:  {folder}/\n  Stop:  make cluster-stop\n"
    )
    return 0 if all(checks.values()) else 1


def _down(folder: Path) -> int:
    state_file = folder / "cluster.json"
    if not state_file.exists():
        print(f"No cluster is running (nothing in {state_file}).")
        return 0
    state = json.loads(state_file.read_text())
    for name, pid in state["pids"].items():
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
        for _ in range(100):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.2)
        else:
            os.kill(pid, signal.SIGKILL)
        print(f"  stopped {name} (pid {pid})")
    Postgres(folder=Path(state["postgres_folder"])).remove()
    print("  stopped postgresql")
    state_file.unlink()
    return 0


def main() -> int:
    """`up` or `down`."""
    parser = argparse.ArgumentParser(description="the local cluster")
    parser.add_argument("command", choices=["up", "down"])
    parser.add_argument("--folder", default=str(ROOT / "var" / "cluster"))
    parser.add_argument("--port", type=int, default=8005)
    parser.add_argument("--rasa-ports", default="5011,5012")
    args = parser.parse_args()
    folder = Path(args.folder).resolve()
    if args.command == "down":
        return _down(folder)
    first, second = (int(p) for p in args.rasa_ports.split(","))
    return _up(folder, args.port, (first, second))


if __name__ == "__main__":
    sys.exit(main())
