"""Pure figures from measured latencies: percentiles, throughput, errors."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), nearest-rank method; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class LoadResult:
    """What one load level of one target measured."""

    target: str
    concurrency: int
    replies: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def replies_per_second(self) -> float:
        """Successful replies per second of wall time."""
        return self.replies / self.seconds if self.seconds else 0.0


def summarise(
    target: str,
    concurrency: int,
    latencies_ms: Sequence[float],
    errors: int,
    seconds: float,
) -> LoadResult:
    """Summarise the successful requests' latencies and the error count."""
    return LoadResult(
        target=target,
        concurrency=concurrency,
        replies=len(latencies_ms),
        errors=errors,
        seconds=seconds,
        p50_ms=percentile(latencies_ms, 50),
        p95_ms=percentile(latencies_ms, 95),
        p99_ms=percentile(latencies_ms, 99),
    )
