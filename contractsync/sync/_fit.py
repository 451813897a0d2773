"""Whether an org's mapping fits the org, checked before any run writes to it.

Every way a sync starts (the CLI, a scheduled job, a replay from the API) goes through
``require_fitting_mapping``: a run never starts on a mapping the org's describe refuses.
A process that syncs often (a worker, the API) reuses a passing check for a few minutes
rather than describing every mapped object before each run; a field that disappears in
between is caught by the run itself, which quarantines it (``_quarantine``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from contractsync.errors import MappingError, PermanentSyncError
from contractsync.mapping import check_mapping

if TYPE_CHECKING:
    from ._orgs import OrgRegistry

FIT_TTL_S = 600.0
"""How long a passing check is trusted by the process that made it."""


class FitChecks:
    """When each org's mapping last passed its check, in this process."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._passed: dict[str, float] = {}
        self._lock = threading.Lock()

    def fresh(self, org: str, *, ttl_s: float = FIT_TTL_S) -> bool:
        with self._lock:
            passed = self._passed.get(org)
            return passed is not None and self._clock() - passed < ttl_s

    def passed(self, org: str) -> None:
        with self._lock:
            self._passed[org] = self._clock()

    def forget(self, org: str) -> None:
        with self._lock:
            self._passed.pop(org, None)


def mapping_problems(registry: OrgRegistry, org: str) -> list[str]:
    """Every problem of ``org``'s mapping against the org's current describe."""
    client = registry.client(org)

    def describe(sobject: str) -> dict[str, Any] | None:
        try:
            return client.describe(sobject, refresh=True)
        except PermanentSyncError as error:
            # Only "no such object" means the object is missing; a login or permission
            # failure is reported as itself, not as a mapping problem with the wrong fix.
            if error.context.get("status") == 404 or error.context.get("salesforce_code") in (
                "NOT_FOUND",
                "INVALID_TYPE",
            ):
                return None
            raise

    return [str(problem) for problem in check_mapping(registry.mapping(org), describe, org=org)]


def require_fitting_mapping(registry: OrgRegistry, org: str, *, reuse: bool = True) -> None:
    """Raise ``MappingError`` naming the first problem unless the mapping fits the org."""
    checks = registry.fit_checks
    if reuse and checks.fresh(org):
        return
    problems = mapping_problems(registry, org)
    if problems:
        checks.forget(org)
        raise MappingError(
            f"Mapping of org '{org}' does not fit the org: {problems[0].rstrip('.')}. "
            f"See all problems with: contractsync mapping check --org {org}"
        )
    checks.passed(org)
