"""Deploy requests: their ``0Af`` ids, lifecycle and the ``DeployResult`` they report.

``deploy`` only queues the request (``Pending``); a background task, or the first
``checkDeployStatus`` that finds it still queued, runs it to ``Succeeded``,
``SucceededPartial`` or ``Failed``. Requests and results live in the org's store, so a
restarted org still answers for them (salesforce-api.md 9.2, 8.3).
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from enum import StrEnum
from html import escape
from typing import Any

from ._ids import format_id
from ._metadata_apply import DeployOptions, Execution, Success, execute
from ._metadata_package import Failure
from ._metadata_zip import ZipLimits
from ._org import Org
from ._values import format_datetime

__all__ = ["DeployStatus", "Deployments", "UnknownDeployError", "deploy_result_xml"]

_LOG = logging.getLogger("contractsync.sandbox")
_DEPLOY_PREFIX = "0Af"
_ZIP_FIELD = "ZipFile"
_TESTED_LEVELS = ("RunSpecifiedTests", "RunLocalTests", "RunAllTestsInOrg", "RunRelevantTests")


class DeployStatus(StrEnum):
    PENDING = "Pending"
    IN_PROGRESS = "InProgress"
    SUCCEEDED = "Succeeded"
    SUCCEEDED_PARTIAL = "SucceededPartial"
    FAILED = "Failed"
    CANCELING = "Canceling"
    CANCELED = "Canceled"


_DONE = (
    DeployStatus.SUCCEEDED,
    DeployStatus.SUCCEEDED_PARTIAL,
    DeployStatus.FAILED,
    DeployStatus.CANCELED,
)


class UnknownDeployError(LookupError):
    """An asyncProcessId that names no deploy of this org."""


class Deployments:
    """The deploy requests of one org."""

    def __init__(self, org: Org, limits: ZipLimits | None = None) -> None:
        self._org = org
        self._limits = limits or ZipLimits()

    def queue(self, zip_bytes: bytes, options: DeployOptions, user_id: str) -> str:
        """Record a deploy request; returns its id."""
        store = self._org.store
        with store.atomic():
            deploy_id = format_id(_DEPLOY_PREFIX, store.next_sequence("metadata:0Af"))
            store.put_blob(deploy_id, _ZIP_FIELD, zip_bytes)
            user = store.get("User", user_id) or {}
            self._save(
                {
                    "id": deploy_id,
                    "status": DeployStatus.PENDING.value,
                    "options": options.to_json(),
                    "createdBy": user_id[:15],
                    "createdByName": user.get("Name") or "",
                    "createdDate": format_datetime(self._org.now()),
                }
            )
        return deploy_id

    def run(self, deploy_id: str) -> None:
        """Process a queued deploy; a no-op once it has started or finished."""
        record = self.record(deploy_id)
        if record["status"] != DeployStatus.PENDING:
            return
        started = format_datetime(self._org.now())
        zip_bytes = self._org.store.get_blob(deploy_id, _ZIP_FIELD) or b""
        options = DeployOptions.from_json(record["options"])
        try:
            outcome = execute(self._org, zip_bytes, options, self._limits)
        except Exception:  # noqa: BLE001 - a crashed deploy must still end, as on a real org
            _LOG.exception("deploy %s failed unexpectedly", deploy_id)
            outcome = Execution(
                error_code="UNKNOWN_EXCEPTION", error_message="An unexpected error occurred."
            )
        record |= _summary(outcome, rollback=options.rollback_on_error)
        record |= {"startDate": started, "completedDate": format_datetime(self._org.now())}
        self._save(record)

    def cancel(self, deploy_id: str) -> bool:
        """Cancel a deploy that has not started; False when it already finished."""
        record = self.record(deploy_id)
        if record["status"] != DeployStatus.PENDING:
            return bool(record["status"] == DeployStatus.CANCELED)
        record |= {"status": DeployStatus.CANCELED.value, "success": False}
        record["completedDate"] = format_datetime(self._org.now())
        self._save(record)
        return True

    def record(self, deploy_id: str) -> dict[str, Any]:
        found = self._org.store.get_meta(_key(deploy_id))
        if found is None:
            raise UnknownDeployError(deploy_id)
        return dict(found)

    def _save(self, record: dict[str, Any]) -> None:
        self._org.store.set_meta(_key(record["id"]), record)


def _key(deploy_id: str) -> str:
    return f"deploy:{deploy_id[:15]}"


def _summary(outcome: Execution, *, rollback: bool) -> dict[str, Any]:
    deployed = [s for s in outcome.successes if s.type]
    if outcome.error_code is None and not outcome.failures:
        status = DeployStatus.SUCCEEDED
    elif outcome.error_code is None and deployed and not rollback:
        status = DeployStatus.SUCCEEDED_PARTIAL
    else:
        status = DeployStatus.FAILED
    return {
        "status": status.value,
        "success": status != DeployStatus.FAILED,
        "successes": [asdict(s) for s in outcome.successes],
        "failures": [asdict(f) for f in outcome.failures],
        "errorStatusCode": outcome.error_code,
        "errorMessage": outcome.error_message,
    }


def _tag(name: str, value: object) -> str:
    if isinstance(value, bool):
        value = "true" if value else "false"
    return f"<{name}>{escape(str(value), quote=False)}</{name}>"


def _success_xml(success: Success, created_date: str) -> str:
    parts = [
        _tag("changed", success.changed),
        _tag("componentType", success.type),
        _tag("created", success.created),
        _tag("createdDate", created_date),
        _tag("deleted", False),
        _tag("fileName", success.file_name),
        _tag("fullName", success.full_name),
    ]
    if success.id:
        parts.append(_tag("id", success.id))
    parts.append(_tag("success", True))
    return "<componentSuccesses>" + "".join(parts) + "</componentSuccesses>"


def _failure_xml(failure: Failure, created_date: str) -> str:
    parts = [_tag("changed", False)]
    if failure.column:
        parts.append(_tag("columnNumber", failure.column))
    parts += [
        _tag("componentType", failure.type),
        _tag("created", False),
        _tag("createdDate", created_date),
        _tag("deleted", False),
        _tag("fileName", failure.file_name),
        _tag("fullName", failure.full_name),
    ]
    if failure.line:
        parts.append(_tag("lineNumber", failure.line))
    parts += [_tag("problem", failure.problem), _tag("problemType", "Error")]
    parts.append(_tag("success", False))
    return "<componentFailures>" + "".join(parts) + "</componentFailures>"


def deploy_result_xml(record: dict[str, Any], *, include_details: bool) -> str:
    """The ``DeployResult`` of ``checkDeployStatus``, elements in the order Salesforce writes."""
    options = DeployOptions.from_json(record["options"])
    status = DeployStatus(record["status"])
    done = status in _DONE
    successes = [Success(**s) for s in record.get("successes", ())]
    failures = [Failure(**f) for f in record.get("failures", ())]
    stamp = record.get("completedDate") or record["createdDate"]
    deployed = sum(1 for s in successes if s.type)
    parts = [_tag("checkOnly", options.check_only)]
    if record.get("completedDate"):
        parts.append(_tag("completedDate", record["completedDate"]))
    parts += [
        _tag("createdBy", record["createdBy"]),
        _tag("createdByName", record["createdByName"]),
        _tag("createdDate", record["createdDate"]),
    ]
    if include_details:
        details = [_failure_xml(f, stamp) for f in failures]
        details += [_success_xml(s, stamp) for s in successes]
        details.append(
            "<runTestResult><numFailures>0</numFailures><numTestsRun>0</numTestsRun>"
            "<totalTime>0.0</totalTime></runTestResult>"
        )
        parts.append("<details>" + "".join(details) + "</details>")
    parts.append(_tag("done", done))
    if record.get("errorMessage"):
        parts.append(_tag("errorMessage", record["errorMessage"]))
        parts.append(_tag("errorStatusCode", record["errorStatusCode"]))
    parts += [
        _tag("id", record["id"]),
        _tag("ignoreWarnings", options.ignore_warnings),
        _tag("lastModifiedDate", stamp),
        _tag("numberComponentErrors", len(failures)),
        _tag("numberComponentsDeployed", deployed),
        _tag("numberComponentsTotal", deployed + len(failures)),
        _tag("numberTestErrors", 0),
        _tag("numberTestsCompleted", 0),
        _tag("numberTestsTotal", 0),
        _tag("rollbackOnError", options.rollback_on_error),
        _tag("runTestsEnabled", options.test_level in _TESTED_LEVELS),
    ]
    if record.get("startDate"):
        parts.append(_tag("startDate", record["startDate"]))
    if not done:
        parts.append(_tag("stateDetail", "Waiting in the deployment queue"))
    parts += [_tag("status", status.value), _tag("success", bool(record.get("success")))]
    return "<result>" + "".join(parts) + "</result>"
