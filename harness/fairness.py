"""Whether one client flooding the load balancer holds the others back (issue 19).

A victim, one client with an address of its own (X-Forwarded-For, as the HTTPS
proxy appends it), asks ordinary questions over REST one after another, at a
person's pace, a fresh conversation every few messages: first at rest, then
while a flooder from another address sends REST messages as fast as it can on
several keep-alive connections. The flooder runs in a process of its own, so
it does not share the victim's interpreter lock and distort its timing. The
issue's target: the flood does not raise the victim's p95 above 2x its value
at rest (HAProxy's per-client limits refuse the flood before it reaches Rasa).

Command line:

    python -m harness.fairness measure --url http://127.0.0.1:8005
    python -m harness.fairness cluster          # a cluster with the shipped limits
    python -m harness.fairness flood --url ... --seconds 30 --connections 8

(``flood`` is what ``measure`` starts; it runs until the time is up or it is
sent SIGTERM, then prints what it sent as JSON.)
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import secrets
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

VICTIM_ADDRESS = "192.0.2.10"
FLOOD_ADDRESS = "198.51.100.66"
QUESTIONS = (
    "Hvad er bækkenløsning?",
    "Hvor længe varer det?",
    "Hvad kan jeg selv gøre?",
    "Må jeg træne?",
    "What is pelvic girdle pain?",
)
# a fresh conversation this often, under the per-conversation limit
MESSAGES_PER_CONVERSATION = 10
# at most one message this often: a person's pace, under the per-client limit
# (100 requests in 10 s) even when the replies come back at once
SECONDS_BETWEEN_MESSAGES = 0.15


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (``fraction`` 0.95 for the p95)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def _victim(url: str, messages: int, name: str) -> tuple[list[float], int]:
    """Latencies (ms) of ``messages`` REST messages, and how many failed."""
    latencies: list[float] = []
    failed = 0
    with requests.Session() as session:
        session.headers["X-Forwarded-For"] = VICTIM_ADDRESS
        for number in range(messages):
            sender = f"{name}-{number // MESSAGES_PER_CONVERSATION}"
            started = time.perf_counter()
            response = session.post(
                f"{url}/webhooks/rest/webhook",
                json={"sender": sender, "message": QUESTIONS[number % len(QUESTIONS)]},
                timeout=60,
            )
            elapsed = time.perf_counter() - started
            if response.status_code == 200 and response.json():
                latencies.append(elapsed * 1000)
            else:
                failed += 1
            time.sleep(max(0.0, SECONDS_BETWEEN_MESSAGES - elapsed))
    return latencies, failed


def flood(url: str, seconds: float, connections: int) -> dict[str, int]:
    """REST messages as fast as they go, from FLOOD_ADDRESS, until time is up."""
    address = urlsplit(url)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    counts = {"sent": 0, "refused": 0, "answered": 0, "other": 0}
    lock = threading.Lock()

    def one_connection(index: int) -> None:
        connection = http.client.HTTPConnection(
            address.hostname or "127.0.0.1", address.port, timeout=30
        )
        number = 0
        while not stop.is_set():
            number += 1
            body = json.dumps(
                {
                    "sender": f"flood-{index}-{number}",
                    "message": "Hvad er bækkenløsning?",
                }
            )
            try:
                connection.request(
                    "POST",
                    "/webhooks/rest/webhook",
                    body=body.encode(),
                    headers={
                        "Content-Type": "application/json",
                        "X-Forwarded-For": FLOOD_ADDRESS,
                    },
                )
                status = connection.getresponse()
                status.read()
                outcome = {200: "answered", 429: "refused"}.get(status.status, "other")
            except (OSError, http.client.HTTPException):
                connection.close()  # reconnects on the next request
                outcome = "other"
            with lock:
                counts["sent"] += 1
                counts[outcome] += 1

    threads = [
        threading.Thread(target=one_connection, args=(i,), daemon=True)
        for i in range(connections)
    ]
    for thread in threads:
        thread.start()
    stop.wait(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=35)
    return counts


def measure_fairness(
    lb_url: str, *, messages: int = 100, flood_connections: int = 8
) -> dict[str, Any]:
    """The victim's p95 at rest and under a flood from another client."""
    run = secrets.token_hex(4)
    rest, rest_failed = _victim(lb_url, messages, f"fairness-{run}-rest")
    flooder = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "harness.fairness",
            "flood",
            "--url",
            lb_url,
            "--seconds",
            "600",
            "--connections",
            str(flood_connections),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    flood_started = time.monotonic()
    try:
        time.sleep(2)  # the flood under way, past its first answered burst
        flooded, flood_failed = _victim(lb_url, messages, f"fairness-{run}-flood")
    finally:
        flooder.send_signal(signal.SIGTERM)
        output, _ = flooder.communicate(timeout=60)
    flood_seconds = time.monotonic() - flood_started
    counts = json.loads(output)
    p95_rest = percentile(rest, 0.95) if rest else math.inf
    p95_flood = percentile(flooded, 0.95) if flooded else math.inf
    return {
        "p95_rest_ms": round(p95_rest, 1),
        "p95_flood_ms": round(p95_flood, 1),
        "ratio": round(p95_flood / p95_rest, 2),
        "victim_messages": messages,
        "victim_failed": rest_failed + flood_failed,
        "flood_sent": counts["sent"],
        "flood_refused": counts["refused"],
        "flood_answered": counts["answered"],
        "flood_other": counts["other"],
        "flood_seconds": round(flood_seconds, 1),
    }


def main() -> int:
    """`flood`, `measure` against a running load balancer, or `cluster`."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["flood", "measure", "cluster"])
    parser.add_argument("--url", default="http://127.0.0.1:8005")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--messages", type=int, default=100)
    args = parser.parse_args()
    if args.command == "flood":
        print(json.dumps(flood(args.url, args.seconds, args.connections)))
        return 0
    if args.command == "measure":
        result = measure_fairness(
            args.url, messages=args.messages, flood_connections=args.connections
        )
    else:
        import tempfile

        from harness.cluster import Cluster

        with tempfile.TemporaryDirectory() as folder:
            cluster = Cluster(Path(folder))  # the shipped limits
            try:
                cluster.start()
                result = measure_fairness(
                    cluster.url,
                    messages=args.messages,
                    flood_connections=args.connections,
                )
            finally:
                cluster.stop()
    print(json.dumps(result, indent=2))
    return 0 if result["ratio"] <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
