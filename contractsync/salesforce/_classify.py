"""The one place that decides what a Salesforce failure means for the caller.

Every channel sends its failures here: an HTTP status plus the ``errorCode`` (REST) or
``statusCode`` (per record). The answer is a ``Disposition``; callers act on it by type,
never by matching message strings. Sources: Salesforce REST API Developer Guide, "Status
Codes and Error Responses"; the app-limits cheatsheet for REQUEST_LIMIT_EXCEEDED variants.
"""

from __future__ import annotations

from enum import StrEnum

from ._results import FieldError


class Disposition(StrEnum):
    RETRY = "retry"
    """Transient: back off and try the same call again."""
    REAUTHENTICATE = "reauthenticate"
    """The session expired: log in again once, then replay."""
    PAUSE = "pause"
    """The org's daily allowance is spent: stop calling until usage allows."""
    REJECT_RECORD = "reject_record"
    """This record is wrong: dead-letter it and carry on with the others."""
    FAIL = "fail"
    """The call itself is wrong or forbidden: stop and fix the cause."""


_RETRYABLE_CODES = frozenset(
    {
        "UNABLE_TO_LOCK_ROW",
        "SERVER_UNAVAILABLE",
        "UNKNOWN_EXCEPTION",
        "QUERY_TIMEOUT",
        "REQUEST_RUNNING_TOO_LONG",
        "TXN_SECURITY_METERING_ERROR",
        # A record rolled back because another in its allOrNone batch failed is fine in
        # itself: send it again once the failing one is out of the batch.
        "ALL_OR_NONE_OPERATION_ROLLED_BACK",
        "PROCESSING_HALTED",
    }
)

_CALL_FAILURES = frozenset(
    {
        "API_DISABLED_FOR_ORG",
        "API_CURRENTLY_DISABLED",
        "INVALID_TYPE",
        "NOT_FOUND",
        "METHOD_NOT_ALLOWED",
        "MALFORMED_QUERY",
        "INVALID_QUERY_FILTER_OPERATOR",
        "INSUFFICIENT_ACCESS",
        "FUNCTIONALITY_NOT_ENABLED",
        "INVALID_AUTH_HEADER",
    }
)

# The daily allowance message; the concurrency variants ("ConcurrentPerOrgLongTxn",
# "ConcurrentRequests") are transient and retried with backoff.
_DAILY_LIMIT_MARKER = "TotalRequests"


def classify(status: int | None, error: FieldError | None) -> Disposition:
    """What to do about a failed call or record.

    ``status`` is the HTTP status of the call (None for a per-record error inside a
    successful collections or Bulk call); ``error`` is the first error Salesforce named.
    """
    code = error.code if error is not None else ""
    if code == "INVALID_SESSION_ID" or status == 401:
        return Disposition.REAUTHENTICATE
    if code == "REQUEST_LIMIT_EXCEEDED":
        if error is not None and _DAILY_LIMIT_MARKER in error.message:
            return Disposition.PAUSE
        return Disposition.RETRY
    if code in _RETRYABLE_CODES:
        return Disposition.RETRY
    if status is not None and (status >= 500 or status in {408, 429}):
        return Disposition.RETRY
    if code in _CALL_FAILURES or status in {403, 404, 405, 410, 414, 415, 431}:
        return Disposition.FAIL
    return Disposition.REJECT_RECORD
