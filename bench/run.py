"""`make bench`: training time, start-up, memory and reply latency, side by side.

Starts the real servers as `make run` does, on 127.0.0.1 only, and measures:

- training from scratch (empty training cache) and time until the server is ready;
- resident memory of the Rasa server and the action server;
- reply latency (p50/p95/p99), replies per second and errors at 1, 10 and 50
  closed-loop conversations, each a realistic multi-turn conversation, for:
  this bot; the stock `rasa init` assistant (trained and served the same way,
  the peer); a bare Sanic endpoint with a fixed reply (the HTTP floor); and
  this bot's /model/parse alone (pure NLU time);
- the same conversation at 10 and 50 conversations through the cluster
  (PostgreSQL, Redis, HAProxy) with one Rasa server (with and without the
  tracker cache) and with two (bench/cluster.py);
- what a reply costs at turn 5, 50 and 200 of one conversation, this bot
  and the peer (bench/turns.py);
- the server's scheduled purge of 100,000 old events while it answers: the
  worst reply and the event loop's longest stall meanwhile (bench/retention.py;
  alone: python -m bench.retention).

Bounded: each load level runs for --seconds (default 15); the whole run takes
about 9 minutes on 2 cores. Writes reports/bench.md and reports/bench_latency.png.

Usage: python -m bench.run [--seconds 15] [--levels 1,10,50] [--cluster-levels 10,50]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from tqdm import tqdm

from bench import page_cache
from bench.cluster import measure_cluster
from bench.cpu import cpu_seconds
from bench.load import parse_requests, reply_is_not_empty, rest_conversation, run_load
from bench.report import PEER, THIS_BOT, Machine, Measurements, write_report
from bench.retention import measure_retention
from bench.stats import LoadResult, summarise
from bench.turns import measure_turn_cost
from harness.servers import BIN, ROOT, ActionServer, RasaServer, free_port
from knowledge import intents

NO_BUTTON = intents.payload(intents.DENY)  # she clicks "Nej"
CONVERSATION = [
    "hej",
    "Kommer bækkenløsning igen ved næste graviditet?",
    "Will the pain go away after birth?",
    "Hvem skal jeg kontakte?",
    "gravid",  # her stage first, then the red flags of her stage
    NO_BUTTON,
    "5",
    "trapper",
    NO_BUTTON,
    "farvel",
]
PEER_CONVERSATION = ["hello", "I am feeling very sad", "yes", "bye"]
PARSE_MESSAGES = [m for m in CONVERSATION if not m.startswith("/")]
# one long conversation of FAQ questions (bench/turns.py)
TURN_MESSAGES = [
    "Kommer bækkenløsning igen ved næste graviditet?",
    "Will the pain go away after birth?",
    "Hjælper træning af mavemusklerne?",
    "Hvad er bækkenløsning?",
]


def resident_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (from /proc)."""
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    total_kb = 0
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


def machine() -> Machine:
    """What the numbers were measured on."""
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    load_15_minutes = float(Path("/proc/loadavg").read_text().split()[2])
    return Machine(
        os.cpu_count() or 0,
        memory_kb / 1024 / 1024,
        model,
        platform.python_version(),
        load_15_minutes,
    )


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Run a command to completion; its wall time in seconds."""
    started = time.monotonic()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.monotonic() - started


def main() -> int:
    """Run every measurement and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--levels", default="1,10,50")
    parser.add_argument("--cluster-levels", default="10,50", help="'' to skip")
    parser.add_argument("--out", default=str(ROOT / "reports"))
    args = parser.parse_args()
    levels = [int(level) for level in args.levels.split(",")]
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
    results: list[LoadResult] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print("training this bot from scratch (empty cache) ...", flush=True)
        train_seconds = timed(
            [str(BIN / "rasa"), "train", "--out", str(work / "models")]
            + ["--fixed-model-name", "scratch"],
            ROOT,
            {**env, "RASA_CACHE_DIRECTORY": str(work / "cache")},
        )
        print("creating and training the peer (rasa init) ...", flush=True)
        peer_dir = work / "peer"
        peer_dir.mkdir()  # rasa init wants the folder to exist
        peer_train_seconds = timed(
            [str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(peer_dir)],
            work,
            {**env, "RASA_CACHE_DIRECTORY": str(work / "peer-cache")},
        )
        peer_model = next((peer_dir / "models").glob("*.tar.gz"))
        rest_only = work / "rest-credentials.yml"
        rest_only.write_text("rest:\n")
        # the stock bot's store is Rasa's plain SQL one: the shipped file's
        # store is this project's, so the peer keeps an endpoints file of its own
        peer_endpoints = work / "peer-endpoints.yml"
        peer_endpoints.write_text(
            "tracker_store:\n  type: SQL\n  dialect: sqlite\n"
            f"  db: {work / 'peer.db'}\n"
        )

        print("starting the servers ...", flush=True)
        actions = ActionServer(work).start()
        page_cache.evict(ROOT / ".venv")  # the same start for every run
        started = time.monotonic()
        bot = RasaServer(
            work, work / "bot.db", actions.url, model=work / "models/scratch.tar.gz"
        ).start()
        ready_seconds = time.monotonic() - started
        page_cache.evict(ROOT / ".venv")
        started = time.monotonic()
        peer = RasaServer(
            work,
            work / "peer.db",
            "",
            model=peer_model,
            project=peer_dir,
            credentials=rest_only,
            endpoints=peer_endpoints,
        ).start()
        peer_ready_seconds = time.monotonic() - started
        floor_port = free_port()
        floor = subprocess.Popen(
            [str(BIN / "python"), "-m", "bench.floor", str(floor_port)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        floor_url = f"http://127.0.0.1:{floor_port}"
        for _ in range(60):
            try:
                if requests.get(f"{floor_url}/status", timeout=1).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.5)
        try:
            bot_pid = bot.process.pid  # type: ignore[union-attr]
            peer_pid = peer.process.pid  # type: ignore[union-attr]
            targets = {  # the request, the conversation's length, the server
                "this bot": (
                    rest_conversation(bot.url, CONVERSATION),
                    len(CONVERSATION),
                    bot_pid,
                ),
                "peer (rasa init)": (
                    rest_conversation(peer.url, PEER_CONVERSATION),
                    len(PEER_CONVERSATION),
                    peer_pid,
                ),
                "HTTP floor": (rest_conversation(floor_url, ["hej"]), 10, floor.pid),
                "/model/parse": (
                    parse_requests(bot.url, PARSE_MESSAGES, bot.auth_token),
                    len(PARSE_MESSAGES),
                    bot_pid,
                ),
            }
            memory_idle = {
                "Rasa server": resident_mb(bot.process.pid),  # type: ignore[union-attr]
                "action server": resident_mb(actions.process.pid),  # type: ignore[union-attr]
                "peer Rasa server": resident_mb(peer.process.pid),  # type: ignore[union-attr]
            }
            runs = [(level, name) for level in levels for name in targets]
            with tqdm(
                total=len(runs) * args.seconds, unit="s", desc="load"
            ) as progress:
                for level, name in runs:
                    request, length, server_pid = targets[name]
                    progress.set_postfix_str(f"{name}, {level} conversations")
                    cpu_before = cpu_seconds([server_pid])
                    latencies, errors, elapsed = asyncio.run(
                        run_load(
                            request, reply_is_not_empty, level, args.seconds, length
                        )
                    )
                    cpu = cpu_seconds([server_pid]) - cpu_before
                    results.append(
                        summarise(name, level, latencies, errors, elapsed, cpu)
                    )
                    progress.update(args.seconds)
            memory_loaded = {
                "Rasa server": resident_mb(bot.process.pid),  # type: ignore[union-attr]
                "action server": resident_mb(actions.process.pid),  # type: ignore[union-attr]
                "peer Rasa server": resident_mb(peer.process.pid),  # type: ignore[union-attr]
            }
            print("one long conversation: turn 5, 50 and 200 ...", flush=True)
            turn_costs = [
                measure_turn_cost(bot.url, TURN_MESSAGES, THIS_BOT),
                measure_turn_cost(peer.url, PEER_CONVERSATION, PEER),
            ]
            # with this bot still up: one cluster server and it take turns
            cluster_levels = [int(x) for x in args.cluster_levels.split(",") if x]
            cluster_results, side_by_side = (
                measure_cluster(
                    work / "cluster",
                    CONVERSATION,
                    cluster_levels,
                    args.seconds,
                    progress=lambda what: print(f"cluster: {what} ...", flush=True),
                    sqlite_url=bot.url,
                )
                if cluster_levels
                else ([], None)
            )
        finally:
            floor.terminate()
            floor.wait()
            peer.stop()
            bot.stop()
            actions.stop()
        retention = measure_retention(
            work / "retention",
            CONVERSATION,
            progress=lambda what: print(f"retention: {what} ...", flush=True),
        )
    measurements = Measurements(
        train_seconds=train_seconds,
        peer_train_seconds=peer_train_seconds,
        ready_seconds=ready_seconds,
        peer_ready_seconds=peer_ready_seconds,
        memory_idle_mb=memory_idle,
        memory_loaded_mb=memory_loaded,
        load=results,
        seconds_per_level=args.seconds,
        cluster=cluster_results,
        side_by_side=side_by_side,
        retention=retention,
        turn_costs=turn_costs,
    )
    out = Path(args.out)
    write_report(out, machine(), measurements)
    print(f"wrote {out / 'bench.md'} and {out / 'bench_latency.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
