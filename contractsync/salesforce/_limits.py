"""API usage of an org, read from ``Sforce-Limit-Info`` on every response and from /limits.

Salesforce sends no Retry-After and no RateLimit headers; the only live signal is
``Sforce-Limit-Info: api-usage=25/5000; per-app-api-usage=17/250(appName=x)`` (REST API
Developer Guide, "Limit Info Header"). The tracker keeps the latest reading and answers
whether a call would eat into the reserve left for other integrations.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import datetime

from contractsync.store import Clock, utc_now

_USAGE = re.compile(
    r"(?P<name>[a-z-]+)=(?P<used>\d+)/(?P<total>\d+)(?:\(appName=(?P<app>[^)]*)\))?"
)


@dataclass(frozen=True, slots=True)
class ApiUsage:
    used: int
    total: int
    seen_at: datetime
    app: str | None = None

    @property
    def remaining(self) -> int:
        return max(self.total - self.used, 0)

    @property
    def fraction(self) -> float:
        return self.used / self.total if self.total else 1.0


def parse_limit_info(header: str, *, seen_at: datetime) -> dict[str, ApiUsage]:
    """``{"api-usage": ApiUsage(...), "per-app-api-usage": ...}`` from the header value."""
    found: dict[str, ApiUsage] = {}
    for match in _USAGE.finditer(header):
        found[match["name"]] = ApiUsage(
            used=int(match["used"]),
            total=int(match["total"]),
            seen_at=seen_at,
            app=match["app"],
        )
    return found


class LimitTracker:
    """The org's latest API usage, shared by every caller of one org (thread-safe)."""

    def __init__(self, *, reserve_fraction: float = 0.2, clock: Clock = utc_now) -> None:
        if not 0 <= reserve_fraction < 1:
            raise ValueError("the reserve is a fraction of the daily allowance in [0, 1)")
        self.reserve_fraction = reserve_fraction
        self.clock = clock
        self._lock = threading.Lock()
        self._usage: dict[str, ApiUsage] = {}

    def observe(self, header: str | None) -> None:
        """Record a response's ``Sforce-Limit-Info`` header (ignored when absent)."""
        if not header:
            return
        readings = parse_limit_info(header, seen_at=self.clock())
        with self._lock:
            self._usage.update(readings)

    def observe_limits(self, limits: dict[str, dict[str, int]]) -> None:
        """Record the ``DailyApiRequests`` entry of a ``/limits`` response."""
        daily = limits.get("DailyApiRequests")
        if not daily:
            return
        total, remaining = int(daily["Max"]), int(daily["Remaining"])
        with self._lock:
            self._usage["api-usage"] = ApiUsage(total - remaining, total, self.clock())

    @property
    def usage(self) -> ApiUsage | None:
        with self._lock:
            return self._usage.get("api-usage")

    def usage_of(self, name: str) -> ApiUsage | None:
        with self._lock:
            return self._usage.get(name)

    def allows(self, calls: int = 1) -> bool:
        """Whether ``calls`` more calls stay outside the reserve (always, before any reading)."""
        with self._lock:
            readings = [
                self._usage[name]
                for name in ("api-usage", "per-app-api-usage")
                if name in self._usage
            ]
        return all(
            usage.used + calls <= usage.total * (1 - self.reserve_fraction) for usage in readings
        )
