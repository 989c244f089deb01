"""The attack corpus against the running deployment, and reports/security.md.

Every case of every category is sent (tests/attack/corpus.py, sockets.py,
floods.py); after each category the victims are read back from PostgreSQL:
their events exactly as before the attack, their sentences in no response.
The report (a table of every case, a summary per category, the totals and the
fairness figures) is written to ``$SECURITY_REPORT`` (``make test-security``:
reports/security.md), else var/security.md, before the test fails, so a
failure can be read there.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from harness.fairness import measure_fairness
from harness.servers import ROOT
from tests.attack import floods, sockets
from tests.attack.conftest import Deployment
from tests.attack.corpus import (
    HAPROXY,
    Case,
    Outcome,
    Result,
    cors_cases,
    forged_token_cases,
    locked_api_cases,
    nul_cases,
    operator_cases,
    other_id_cases,
    oversize_cases,
    path_variant_cases,
    replayed_token_cases,
    run_concurrently,
    slow_cases,
)
from tests.attack.report import write_report

MAX_FAIRNESS_RATIO = 2.0

# in this order: the floods fill HAProxy's counters and the NUL cases may stop
# servers (see the report), so they come last
CATEGORIES: list[tuple[str, Callable[[Deployment], list[Case]]]] = [
    ("forged tokens", forged_token_cases),
    ("replayed tokens", replayed_token_cases),
    ("other conversations' ids", other_id_cases),
    ("path variants", path_variant_cases),
    ("oversize and malformed", oversize_cases),
    ("operator routes", operator_cases),
    ("locked HTTP API", locked_api_cases),
    ("CORS", cors_cases),
    ("malformed socket.io frames", sockets.frame_cases),
]


def report_path() -> Path:
    configured = os.environ.get("SECURITY_REPORT")
    return Path(configured) if configured else ROOT / "var" / "security.md"


def timed(case: Case) -> Outcome:
    """Send the case; its outcome's ``seconds`` is how long that took."""
    started = time.monotonic()
    outcome = case.send()
    outcome.seconds = outcome.seconds or time.monotonic() - started
    return outcome


def judge(case: Case, outcome: Outcome, number: int, sentences: list[str]) -> Result:
    """Whether the case got what it expected; 5xx and leaks counted apart."""
    expected = set(case.expected)
    refusal = all(isinstance(e, int) and 400 <= e < 500 for e in expected)
    if case.target == HAPROXY and refusal:
        expected.add(429)  # the rate limits refuse too (nothing stored either)
    matched = outcome.status in expected or outcome.got.split(" (")[0] in {
        str(e) for e in expected
    }
    note = case.check(outcome) if case.check else None
    leaked = any(sentence in outcome.body for sentence in sentences)
    declared_503 = (
        outcome.status == 503
        and (503 in expected or "503" in expected)
        and "retry-after" in outcome.headers
    )
    unexpected_5xx = (
        outcome.status is not None and outcome.status >= 500 and not declared_503
    )
    shown = outcome.got + (f" ({outcome.detail})" if outcome.detail else "")
    return Result(
        id=f"A{number:03d}",
        category=case.category,
        target=case.target,
        what=case.what,
        expected=" or ".join(str(e) for e in sorted(case.expected, key=str)),
        got=shown,
        ok=matched and not note and not leaked and not unexpected_5xx,
        unexpected_5xx=unexpected_5xx,
        leaked=leaked,
        note=note or ("a victim's sentence in the response" if leaked else ""),
        seconds=outcome.seconds,
    )


def answers(url: str) -> bool:
    """True if the Rasa server at ``url`` still answers its health check."""
    try:
        return requests.get(f"{url}/webhooks/rest/", timeout=10).ok
    except requests.RequestException:
        return False


def _fairness(deployment: Deployment) -> dict[str, Any]:
    try:
        figures: dict[str, Any] = measure_fairness(deployment.lb)
    except Exception as error:  # noqa: BLE001 (the report is written all the same)
        return {"error": f"{type(error).__name__}: {error}"}
    return figures


def test_the_attack_corpus(deployment: Deployment) -> None:
    started = time.monotonic()
    sentences = [v.sentence for v in deployment.victims]
    results: list[Result] = []
    # per category: the victims whose events changed during it, or vanished
    touched: dict[str, list[str]] = {}
    absent: dict[str, list[str]] = {}
    last_seen = {v.name: v.events for v in deployment.victims}
    seconds_per_category: dict[str, float] = {}
    mark = [time.monotonic()]

    def run(category: str, cases: list[Case]) -> None:
        for case in cases:
            results.append(judge(case, timed(case), len(results) + 1, sentences))
        after_category(category)

    def after_category(category: str) -> None:
        now = {v.name: deployment.stored(v.sender) for v in deployment.victims}
        touched[category] = [n for n, rows in now.items() if rows != last_seen[n]]
        absent[category] = [n for n, rows in now.items() if not rows]
        last_seen.update(now)
        seconds_per_category[category] = time.monotonic() - mark[0]
        mark[0] = time.monotonic()

    slow = run_concurrently(slow_cases(deployment))  # they wait; the rest goes on
    for category, make in CATEGORIES:
        run(category, make(deployment))
    socket_cases, close_sockets = sockets.socketio_cases(deployment)
    for case in socket_cases:
        results.append(judge(case, timed(case), len(results) + 1, sentences))
    seen = close_sockets()
    if any(sentence in seen for sentence in sentences):
        results[-1].leaked = True  # what the attackers' clients were sent
        results[-1].note = "a victim's sentence reached an attacker's socket"
    after_category("socket.io sessions")
    for case, outcome in slow():
        results.append(judge(case, outcome, len(results) + 1, sentences))
    after_category("slow clients")
    run("floods", floods.flood_cases(deployment))
    run("admission queue", [floods.admission_case(deployment)])
    fairness = _fairness(deployment)
    run("NUL and invalid code points", nul_cases(deployment))
    final_touched = deployment.touched()
    running = {server.name: answers(server.url) for server in deployment.cluster.rasa}
    seconds = time.monotonic() - started

    path = report_path()
    write_report(
        path, results, touched, absent, final_touched, running, fairness,
        seconds, seconds_per_category, MAX_FAIRNESS_RATIO,
    )  # fmt: skip

    failed = [r for r in results if not r.ok]
    problems = [
        f"{r.id} [{r.category}, {r.target}] {r.what}: expected {r.expected}, "
        f"got {r.got}{'; ' + r.note if r.note else ''}"
        for r in failed
    ]
    problems += [f"during {c}: victims changed: {v}" for c, v in touched.items() if v]
    problems += [f"after {c}: victims gone: {v}" for c, v in absent.items() if v]
    problems += [f"{name} stopped running" for name, up in running.items() if not up]
    if "error" in fairness:
        problems.append(f"the fairness measurement failed: {fairness['error']}")
    elif fairness.get("ratio", 0) > MAX_FAIRNESS_RATIO:
        problems.append(
            f"fairness ratio {fairness['ratio']:.2f} > {MAX_FAIRNESS_RATIO}"
        )
    assert len(results) >= 300
    assert not problems, (
        f"{len(failed)} of {len(results)} cases failed (report: {path}):\n"
        + "\n".join(problems)
    )
