"""Comparing what contractsync last confirmed with what an org holds now. Pure.

A confirmed snapshot holds plain fields (``"StartDate": "2025-01-01"``) and lookups as
``{relationship: {field: value}}`` (``"Account": {"CS_Key__c": "ACC-1"}``, ``"Owner":
{"Email": ...}``); both are read back with one SOQL query (``Account.CS_Key__c``). Values
are compared as Salesforce means them: 30 and 30.0 are the same number, and
``...Z`` and ``...+0000`` the same instant.

A snapshot may also hold bookkeeping entries whose names start with ``@``; they are never
fields of the org. ``@accepted`` names the fields whose org value was accepted in place of
contractsync's, each with the value contractsync wanted at the time (see ``kept_fields``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from contractsync.store import canonical_json

SYSTEM_FIELDS = ("Id", "SystemModstamp")
ACCEPTED = "@accepted"


def org_fields(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """The snapshot's fields as the org holds them, without bookkeeping entries."""
    return {name: value for name, value in snapshot.items() if not name.startswith("@")}


def kept_fields(known: Mapping[str, Any], desired: Mapping[str, Any]) -> dict[str, Any]:
    """Fields whose accepted org value a write must leave alone: those for which
    contractsync still wants what it wanted when the org's value was accepted. Once it
    wants something new, its new value is sent (and the acceptance ends)."""
    accepted = known.get(ACCEPTED)
    if not isinstance(accepted, Mapping):
        return {}
    return {
        name: known.get(name)
        for name, wanted in accepted.items()
        if name in desired and desired[name] == wanted
    }


def with_accepted(
    snapshot: Mapping[str, Any], accepted: Mapping[str, Any], *, theirs: Mapping[str, Any]
) -> dict[str, Any]:
    """``snapshot`` holding the org's accepted values, remembering what was wanted instead."""
    result = {**snapshot, **theirs}
    if accepted:
        result[ACCEPTED] = dict(sorted(accepted.items()))
    else:
        result.pop(ACCEPTED, None)
    return result


@dataclass(frozen=True, slots=True)
class FieldDrift:
    """One field whose value in the org differs from the one contractsync confirmed."""

    field: str
    ours: Any
    theirs: Any


def select_fields(snapshots: Iterable[Mapping[str, Any]]) -> list[str]:
    """The SOQL select list that reads back every field of these snapshots."""
    names: set[str] = set()
    for snapshot in snapshots:
        for name, value in org_fields(snapshot).items():
            if isinstance(value, Mapping):
                names.update(f"{name}.{inner}" for inner in value)
            else:
                names.add(name)
    return sorted(names)


def org_value(row: Mapping[str, Any], name: str, like: Any) -> Any:
    """The value of snapshot entry ``name`` in a query row, shaped like ``like``."""
    if isinstance(like, Mapping):
        parent = row.get(name)
        if not isinstance(parent, Mapping):
            return None
        return {inner: parent.get(inner) for inner in like}
    return row.get(name)


def same_value(ours: Any, theirs: Any) -> bool:
    """Whether two Salesforce field values mean the same."""
    if isinstance(ours, Mapping) or isinstance(theirs, Mapping):
        if not (isinstance(ours, Mapping) and isinstance(theirs, Mapping)):
            return _blank(ours) and _blank(theirs)
        if all(value is None for value in theirs.values()):
            return all(value is None for value in ours.values())
        # Lookups match on external ids and emails, which Salesforce compares case-blind.
        return all(
            str(ours.get(name)).casefold() == str(theirs.get(name)).casefold() for name in ours
        )
    if _blank(ours) or _blank(theirs):
        return _blank(ours) and _blank(theirs)
    if isinstance(ours, bool) or isinstance(theirs, bool):
        return ours is theirs
    if isinstance(ours, int | float | Decimal) or isinstance(theirs, int | float | Decimal):
        return _number(ours) == _number(theirs)
    if isinstance(ours, str) and isinstance(theirs, str):
        ours_at, theirs_at = _instant(ours), _instant(theirs)
        if ours_at is not None and theirs_at is not None:
            return ours_at == theirs_at
    return bool(ours == theirs)


def record_drift(snapshot: Mapping[str, Any], row: Mapping[str, Any]) -> tuple[FieldDrift, ...]:
    """Every snapshot field the org now holds a different value for."""
    found = []
    for name, ours in sorted(org_fields(snapshot).items()):
        theirs = org_value(row, name, ours)
        if not same_value(ours, theirs):
            found.append(FieldDrift(name, ours, theirs))
    return tuple(found)


def patched(snapshot: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """The snapshot with some fields replaced by the values the org now holds."""
    return {**snapshot, **values}


def fingerprint_of(snapshot: Mapping[str, Any]) -> str:
    """The fingerprint a desired record with exactly this snapshot has (see DesiredRecord)."""
    return hashlib.sha256(canonical_json(org_fields(snapshot)).encode("utf-8")).hexdigest()


def parse_instant(text: Any) -> datetime | None:
    """A Salesforce datetime (``2026-11-28T14:02:47.904+0000``) as an aware UTC datetime."""
    return _instant(text) if isinstance(text, str) else None


def soql_instant(at: datetime) -> str:
    """A SOQL datetime literal (unquoted, UTC, ``Z``)."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def _blank(value: Any) -> bool:
    if isinstance(value, Mapping):
        return all(inner is None for inner in value.values())
    return value is None or value == ""


def _number(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _instant(text: str) -> datetime | None:
    if len(text) < 19 or text[10] != "T":
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z")
        except ValueError:
            return None
    return parsed.astimezone(UTC) if parsed.tzinfo else None
