"""CPU time a server process used, read from /proc: what a reply costs a core.

Throughput on this machine's few cores is shared with whatever else runs
(PostgreSQL, Redis, HAProxy, the action server, the load generator). The CPU
time the Rasa server itself spends per reply says what one core of its own
would answer: 1000 / (CPU ms per reply) replies/s.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(child) for child in task.read_text().split()]
    return found


def cpu_seconds(pids: Iterable[int]) -> float:
    """User + system CPU seconds of the processes and their live children."""
    total_ticks = 0
    seen: set[int] = set()
    pending = list(pids)
    while pending:
        pid = pending.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            pending += _children(pid)
        except (FileNotFoundError, ProcessLookupError):
            continue  # it ended meanwhile
        # fields after the command name (which may hold spaces) in brackets
        fields = stat.rsplit(")", 1)[1].split()
        total_ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return total_ticks / TICKS_PER_SECOND
