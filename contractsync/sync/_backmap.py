"""Turning a Salesforce field value back into a canonical contract value. Pure.

A field maps back when its rule reads a plain canonical path (``effective_date``,
``status``, ``owners.account_manager.email``) through a reversible transform; the owner
lookup maps back by the owner's email. The value written back is tracked with provenance
``salesforce:<org>`` and approved by ``salesforce:<org>`` (it was set by a person in the
org, whose word contractsync takes for it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from pydantic import BaseModel

from contractsync.mapping import (
    REVERSIBLE_TRANSFORMS,
    FieldRule,
    InboundPolicy,
    NotRepresentable,
    ObjectMapping,
    contract_view,
    inbound_paths,
    plain_value,
    resolve,
    to_salesforce,
)
from contractsync.model import Contract, Duration, Money

from ._drift import same_value

OWNER = "Owner"
_PLAIN = frozenset({"title", "status", "contract_type", "region", "business_unit"})


@dataclass(frozen=True, slots=True)
class WriteBack:
    """A Salesforce field that maps straight back to a canonical path."""

    field: str
    path: str
    rule: FieldRule | None
    """None for the owner lookup (``Owner``: ``{"Email": ...}``)."""
    policy: InboundPolicy | None


def write_backs(obj: ObjectMapping) -> dict[str, WriteBack]:
    """The fields of ``obj`` whose Salesforce value can become a canonical value."""
    if obj.for_each:
        return {}
    found: dict[str, WriteBack] = {}
    paths = inbound_paths()
    for name, rule in obj.fields.items():
        reversible = rule.transform is None or rule.transform in REVERSIBLE_TRANSFORMS
        if rule.source in paths and rule.template is None and reversible:
            found[name] = WriteBack(name, rule.source, rule, rule.inbound)
    if obj.owner is not None and obj.owner.match_on == "Email":
        path = f"owners.{obj.owner.role}.email"
        found[OWNER] = WriteBack(OWNER, path, None, obj.owner.inbound)
    return found


def canonical_value(back: WriteBack, theirs: Any, current: Contract, *, today: date) -> Any:
    """The canonical value for Salesforce's ``theirs``; raises ``NotRepresentable``."""
    if back.rule is None:
        email = theirs.get("Email") if isinstance(theirs, Mapping) else theirs
        return str(email) if email else None
    rule = back.rule
    if theirs is None or theirs == "":
        return None
    value: Any = theirs
    if rule.map is not None:
        candidates = [key for key, mapped in rule.map.items() if mapped == theirs]
        if not candidates:
            raise NotRepresentable(f"'{theirs}' is not a value the mapping sends")
        now = plain_value(resolve(contract_view(current, today=today).values, back.path))
        # Several canonical values send the same picklist value (active, amended, renewed
        # are all Activated): keep the contract's own when it is one of them.
        value = str(now) if str(now) in candidates else candidates[0]
    return _untransform(rule.transform, value, current, back.path)


def with_value(contract: Contract, path: str, value: Any, *, org: str, at: datetime) -> Contract:
    """``contract`` with ``path`` set to ``value``, tracked as set in Salesforce."""
    data = contract.model_dump(mode="json")
    source = f"salesforce:{org}"
    if path in _PLAIN:
        data[path] = _json(value)
    elif path.startswith("owners."):
        role = path.split(".")[1]
        owners = dict(data.get("owners") or {})
        if value is None:
            owners.pop(role, None)
        elif (owners.get(role) or {}).get("email", "").casefold() != str(value).casefold():
            owners[role] = {"email": value}
        data["owners"] = owners
    elif value is None:
        data[path] = None
    else:
        stamp = at.astimezone(UTC).isoformat()
        data[path] = {
            "value": _json(value),
            "provenance": {"source": source, "recorded_at": stamp},
            "review": {"state": "approved", "reviewer": source, "at": stamp},
        }
    return Contract.parse_record(data, source=f"contract '{contract.contract_key}' from {source}")


def round_trips(back: WriteBack, contract: Contract, theirs: Any, *, today: date) -> bool:
    """Whether ``contract`` now sends exactly ``theirs`` for this field (no amendment or
    lossy map hides the value), so confirming it cannot echo."""
    sent = sent_value(back, contract, today=today)
    return same_value(sent, theirs)


def sent_value(back: WriteBack, contract: Contract, *, today: date) -> Any:
    """What ``contract`` sends for this field now (as in its desired record)."""
    view = contract_view(contract, today=today).values
    if back.rule is None:
        email = resolve(view, back.path)
        return {"Email": email} if email else None
    try:
        return to_salesforce(resolve(view, back.path), back.rule)
    except NotRepresentable:
        return None


def _untransform(transform: str | None, value: Any, current: Contract, path: str) -> Any:
    try:
        if transform == "date":
            return date.fromisoformat(str(value)[:10])
        if transform == "months":
            return Duration(months=int(Decimal(str(value))))
        if transform == "days":
            return Duration(days=int(Decimal(str(value))))
        if transform == "boolean":
            return bool(value)
        if transform == "integer":
            return int(Decimal(str(value)))
        if transform == "number":
            return Decimal(str(value))
        if transform == "amount":
            held = getattr(getattr(current, path, None), "value", None)
            if not isinstance(held, Money):
                raise NotRepresentable("an amount without the contract's currency")
            return Money(amount=Decimal(str(value)), currency=held.currency)
    except (ValueError, InvalidOperation, ArithmeticError) as error:
        raise NotRepresentable(f"{value!r} cannot become {path}: {error}") from None
    return value


def _json(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
