"""The daily API request allocation and the ``Sforce-Limit-Info`` header.

Salesforce counts REST calls against a rolling 24-hour allocation (salesforce-api.md 4.6,
12.1): one per request, one per composite or collections call, nothing for OAuth token
requests or the versions list. When it is spent every call gets 403
``REQUEST_LIMIT_EXCEEDED`` until calls made more than 24 hours ago fall out of the window
(3.2: "resume when ... shows headroom (rolling 24 h)"). The sandbox counts calls in
one-minute buckets, so usage drains a minute at a time, 24 hours after it was spent;
``reset()`` forgets all usage at once (the admin endpoint ``POST /__sandbox__/limits/reset``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ._errors import SalesforceError
from ._store import Store

__all__ = ["API_REQUESTS", "ApiUsage"]

API_REQUESTS = "DailyApiRequests"
_WINDOW_MINUTES = 24 * 60


def _minute(now: dt.datetime) -> int:
    return int(now.timestamp()) // 60


class ApiUsage:
    """Daily allocations (API calls, Bulk batches, ...) over a rolling 24-hour window,
    persisted in the store."""

    def __init__(self, store: Store, daily_limit: int) -> None:
        self._store = store
        self.daily_limit = daily_limit

    def used(self, now: dt.datetime) -> int:
        return self.allocation_used(API_REQUESTS, now)

    def count_call(self, now: dt.datetime) -> int:
        """Count one call, or refuse it when the allocation is spent; returns the usage."""
        with self._store.atomic():
            used = self.used(now)
            if used >= self.daily_limit:
                raise SalesforceError.of(
                    403,
                    "REQUEST_LIMIT_EXCEEDED",
                    "TotalRequests Limit exceeded.",
                    with_fields=False,
                )
            self._store.add_usage(API_REQUESTS, _minute(now), 1)
        return used + 1

    def reset(self) -> None:
        """Forget all usage: a fresh allocation from now on."""
        self._store.clear_usage()

    def count_allocation(self, name: str, amount: int, now: dt.datetime) -> None:
        """Spend ``amount`` of a daily allocation other than API calls (5.3: Bulk batches,
        Bulk 2.0 query jobs), in the same rolling window."""
        self._store.add_usage(name, _minute(now), amount)

    def allocation_used(self, name: str, now: dt.datetime) -> int:
        """What ``name`` spent in the 24 hours before ``now``."""
        return self._store.usage_since(name, _minute(now) - _WINDOW_MINUTES + 1)

    def header(self, now: dt.datetime, used: int | None = None) -> str:
        """``Sforce-Limit-Info`` value, as simple-salesforce parses it (2.5)."""
        return f"api-usage={self.used(now) if used is None else used}/{self.daily_limit}"

    def limits(self, now: dt.datetime) -> dict[str, Any]:
        """The ``/limits`` resource (2.6): Max and Remaining per allocation."""
        used = self.used(now)

        def entry(maximum: int, remaining: int | None = None) -> dict[str, int]:
            return {"Max": maximum, "Remaining": maximum if remaining is None else remaining}

        return {
            "ConcurrentAsyncGetReportInstances": entry(200),
            "ConcurrentSyncReportRuns": entry(20),
            "DailyApiRequests": entry(self.daily_limit, max(self.daily_limit - used, 0)),
            "DailyAsyncApexExecutions": entry(250000),
            "DailyBulkApiBatches": entry(
                15000, max(15000 - self.allocation_used("DailyBulkApiBatches", now), 0)
            ),
            "DailyBulkV2QueryFileStorageMB": entry(976562),
            "DailyBulkV2QueryJobs": entry(
                10000, max(10000 - self.allocation_used("DailyBulkV2QueryJobs", now), 0)
            ),
            "DailyDurableStreamingApiEvents": entry(10000),
            "DailyStreamingApiEvents": entry(10000),
            "DataStorageMB": entry(5),
            "FileStorageMB": entry(20),
            "HourlyPublishedPlatformEvents": entry(50000),
            "SingleEmail": entry(15),
        }
