"""The daily API request allocation and the ``Sforce-Limit-Info`` header.

Salesforce counts REST calls against a rolling 24-hour allocation (salesforce-api.md 4.6,
12.1): one per request, one per composite or collections call, nothing for OAuth token
requests or the versions list. When it is spent every call gets 403
``REQUEST_LIMIT_EXCEEDED`` until usage falls back. The sandbox keeps a 24-hour window that
starts at the first counted call and resets when it ends (or on demand).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ._errors import SalesforceError
from ._store import Store

__all__ = ["ApiUsage"]

_WINDOW = dt.timedelta(hours=24)


class ApiUsage:
    """Counter of API calls in the current 24-hour window, persisted in the store."""

    def __init__(self, store: Store, daily_limit: int) -> None:
        self._store = store
        self.daily_limit = daily_limit

    def _state(self, now: dt.datetime) -> tuple[int, dt.datetime]:
        saved = self._store.get_meta("api_usage")
        if saved is None:
            return 0, now
        start = dt.datetime.fromisoformat(saved["window_start"])
        if now - start >= _WINDOW:
            return 0, now
        return int(saved["used"]), start

    def used(self, now: dt.datetime) -> int:
        return self._state(now)[0]

    def count_call(self, now: dt.datetime) -> None:
        """Count one call, or refuse it when the allocation is spent."""
        with self._store.atomic():
            used, start = self._state(now)
            if used >= self.daily_limit:
                raise SalesforceError.of(
                    403,
                    "REQUEST_LIMIT_EXCEEDED",
                    "TotalRequests Limit exceeded.",
                    with_fields=False,
                )
            self._store.set_meta("api_usage", {"used": used + 1, "window_start": start.isoformat()})

    def reset(self) -> None:
        self._store.set_meta("api_usage", None)
        for key in self._store.meta_keys("allocation:"):
            self._store.drop_meta(key)

    def count_allocation(self, name: str, amount: int, now: dt.datetime) -> None:
        """Spend ``amount`` of a daily allocation other than API calls (5.3: Bulk batches,
        Bulk 2.0 query jobs), in the same rolling window."""
        with self._store.atomic():
            used = self.allocation_used(name, now)
            _used, start = self._state(now)
            self._store.set_meta(
                f"allocation:{name}", {"used": used + amount, "window_start": start.isoformat()}
            )

    def allocation_used(self, name: str, now: dt.datetime) -> int:
        saved = self._store.get_meta(f"allocation:{name}")
        if saved is None or now - dt.datetime.fromisoformat(saved["window_start"]) >= _WINDOW:
            return 0
        return int(saved["used"])

    def header(self, now: dt.datetime) -> str:
        """``Sforce-Limit-Info`` value, as simple-salesforce parses it (2.5)."""
        return f"api-usage={self.used(now)}/{self.daily_limit}"

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
