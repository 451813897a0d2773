"""Schema drift found during a run: fields the org stopped accepting after the mapping
check passed (deleted, or made read-only).

When a write fails with ``INVALID_FIELD`` or ``INVALID_FIELD_FOR_INSERT_UPDATE``, the
object is described afresh and the fields of the refused bodies that the org no longer
has, or no longer lets the integration user write, are quarantined: left out of this
run's bodies for that org, so the records go without them instead of all being dead-
lettered. The fresh describe decides, not the error text: ``INVALID_FIELD`` also means a
parent external ID that does not exist, which is the record's own fault.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from contractsync.salesforce import OrgClient, RecordResult

DRIFT_CODES = frozenset({"INVALID_FIELD", "INVALID_FIELD_FOR_INSERT_UPDATE"})

GONE = "field no longer exists"
READ_ONLY = "field is no longer writable by the integration user"


def drift_refused(result: RecordResult) -> bool:
    """Whether a failed write may be the schema's fault rather than the record's."""
    return not result.success and bool(result.errors) and result.errors[0].code in DRIFT_CODES


def drifted_fields(
    client: OrgClient,
    sobject: str,
    refused: Sequence[tuple[Mapping[str, Any], bool]],
) -> dict[str, str]:
    """Field (or relationship) → why, for every name in the refused bodies that the org's
    fresh describe no longer accepts; ``refused`` pairs each body with whether it creates."""
    if not refused:
        return {}
    described = client.describe(sobject, refresh=True)
    fields = {str(found["name"]).lower(): found for found in described.get("fields", [])}
    relationships = {
        str(found.get("relationshipName") or "").lower() for found in fields.values()
    } - {""}
    reasons: dict[str, str] = {}
    for body, creating in refused:
        for name, value in body.items():
            if isinstance(value, Mapping):  # a parent by external ID: {"Account": {...}}
                if name.lower() not in relationships:
                    reasons[name] = GONE
                continue
            found = fields.get(name.lower())
            if found is None:
                reasons[name] = GONE
            elif not found.get("createable" if creating else "updateable"):
                reasons[name] = READ_ONLY
    return reasons


def quarantine_message(org: str, sobject: str, field: str, reason: str) -> str:
    """The line a person reads in the run's output."""
    return (
        f"quarantined {field} on {sobject} in org {org}: {reason}; fix the org or the mapping "
        f"(contractsync mapping check --org {org})"
    )
