"""reports/security.md: every case tried, what came back, and the totals."""

from __future__ import annotations

import collections
import datetime
import subprocess
from pathlib import Path
from typing import Any

from harness.servers import ROOT
from tests.attack.corpus import Result

FAIRNESS_FIELDS = [
    ("p95_rest_ms", "p95 of a REST client at rest (ms)"),
    ("p95_flood_ms", "p95 of the same client while another floods (ms)"),
    ("ratio", "ratio (flooded / at rest)"),
    ("victim_messages", "messages the measured client sent"),
    ("flood_sent", "requests the flooding client sent"),
    ("flood_refused", "of which refused (429/503)"),
    ("flood_answered", "of which answered"),
]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")[:160]


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
            text=True, timeout=10, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def write_report(
    path: Path,
    results: list[Result],
    touched: dict[str, list[str]],
    absent: dict[str, list[str]],
    final_touched: list[str],
    running: dict[str, bool],
    fairness: dict[str, Any],
    seconds: float,
    seconds_per_category: dict[str, float],
    max_ratio: float,
) -> None:
    """Write the markdown report to ``path``."""
    failed = [r for r in results if not r.ok]
    unexpected_5xx = sum(r.unexpected_5xx for r in results)
    leaks = sum(r.leaked for r in results)
    changes = sum(len(names) for names in touched.values())
    touched_without_token = leaks + changes
    servers = ", ".join(
        f"{name}: {'yes' if up else '**no**'}" for name, up in running.items()
    )
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Security: the attack corpus",
        "",
        f"`make test-security` (tests/attack) at commit {_commit()}, {when}: "
        "the real deployment on 127.0.0.1 (PostgreSQL, Redis, HAProxy with "
        "deploy/haproxy.cfg routing by conversation, two Rasa servers, the action "
        "server with its secret; every limit at its shipped default). Before the "
        "attack three victims talked to it as users do (a widget conversation, a "
        "socket.io conversation, a REST conversation), each with a sentence "
        "nobody else says; after each category their events were read back from "
        "PostgreSQL.",
        "",
        "## Totals",
        "",
        "| | |",
        "|---|---|",
        f"| cases | {len(results)} |",
        f"| as expected | {len(results) - len(failed)} |",
        f"| not as expected | {len(failed)} |",
        f"| unexpected 5xx (any 5xx but a declared 503 with Retry-After) "
        f"| {unexpected_5xx} |",
        f"| data read, written or deleted without its token | {touched_without_token} "
        f"({leaks} responses with a victim's sentence, {changes} times a "
        f"victim's stored events changed during a category) |",
        f"| victims changed at the end | {', '.join(final_touched) or 'none'} |",
        f"| Rasa servers still running at the end | {servers} |",
        f"| time (corpus, without starting the cluster) | {seconds:.0f} s |",
        "",
        "## Per category",
        "",
        "| category | cases | as expected | not | unexpected 5xx | victims changed "
        "during it | victims gone after it | seconds |",
        "|---|---|---|---|---|---|---|---|",
    ]
    by_category: dict[str, list[Result]] = collections.defaultdict(list)
    for result in results:
        by_category[result.category].append(result)
    for category, group in by_category.items():
        bad = sum(not r.ok for r in group)
        lines.append(
            f"| {category} | {len(group)} | {len(group) - bad} | {bad} "
            f"| {sum(r.unexpected_5xx for r in group)} "
            f"| {', '.join(touched.get(category, [])) or 'none'} "
            f"| {', '.join(absent.get(category, [])) or 'none'} "
            f"| {seconds_per_category.get(category, 0):.1f} |"
        )
    lines += ["", "## Fairness", ""]
    if "error" in fairness:
        lines.append(f"The measurement failed: {fairness['error']}")
    else:
        verdict = "met" if fairness.get("ratio", 0) <= max_ratio else "NOT met"
        lines += [
            f"One client flooding HAProxy while another sends messages "
            f"(`harness.fairness.measure_fairness`); target: ratio <= {max_ratio} "
            f"({verdict}).",
            "",
            "| figure | value |",
            "|---|---|",
        ]
        for key, label in FAIRNESS_FIELDS:
            value = fairness.get(key)
            shown = f"{value:.2f}" if isinstance(value, float) else str(value)
            lines.append(f"| {label} | {shown} |")
    if failed:
        lines += ["", "## Not as expected", ""]
        lines += [
            f"- {r.id} ({r.category}, {r.target}) {_cell(r.what)}: expected "
            f"{r.expected}, got {_cell(r.got)}{'; ' + r.note if r.note else ''}"
            for r in failed
        ]
    lines += [
        "",
        "## Every case",
        "",
        "429 counts as a refusal for every refusal case through HAProxy (the "
        "rate limits answer before the server does, and store nothing).",
        "",
        "| id | category | target | sent | expected | got | ok | s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r.id} | {r.category} | {r.target} | {_cell(r.what)} | {r.expected} "
        f"| {_cell(r.got)}{' — ' + _cell(r.note) if r.note else ''} "
        f"| {'yes' if r.ok else '**no**'} | {r.seconds:.2f} |"
        for r in results
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
