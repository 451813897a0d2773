"""Finding the existing records a chunk's lookups point at, before the chunk is upserted.

Each lookup field costs one SOQL query per chunk (per 200 distinct values), never one per
record. Candidates come back oldest first (CreatedDate, then Id); the match is decided
here on normalised values (``compare: domain`` compares hosts, so the query only narrows).
Several matches follow the lookup's ``ties`` rule, none its ``missing`` rule. A record
whose lookup cannot be decided gets an error naming the field, and is dead-lettered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from contractsync.mapping import normalize_value
from contractsync.salesforce import FieldError, OrgClient, RecordResult

from ._items import LookupItem, OnDemandRecord, WriteItem

LOOKUP_BATCH = 200
"""Distinct match values per query: keeps the SOQL well under its 100,000-character limit."""
NAMED_CANDIDATES = 5

Upsert = Callable[
    [OrgClient, str, str, Sequence[tuple[str, Mapping[str, Any]]]], list[RecordResult]
]
Match = tuple[tuple[str, str], ...]


@dataclass(slots=True)
class Resolved:
    """What a chunk's lookups found."""

    ids: dict[str, dict[str, str]] = field(default_factory=dict)
    """Item key → {reference field: Id found (or created)}."""
    left_out: dict[str, list[str]] = field(default_factory=dict)
    """Item key → lookup fields sent without a value (``missing: skip-field``)."""
    refused: dict[str, FieldError] = field(default_factory=dict)
    """Item key → why it cannot be sent (ambiguous, not found, creation failed)."""
    created: list[tuple[OnDemandRecord, RecordResult]] = field(default_factory=list)
    """Records made because a lookup found nothing (``missing: create``)."""


def resolve_lookups(client: OrgClient, items: Sequence[WriteItem], upsert: Upsert) -> Resolved:
    """Resolve every lookup of ``items`` (one object's chunk) against the org."""
    resolved = Resolved()
    names = sorted({name for item in items for name in item.get("lookups", {})})
    for name in names:
        wanted = [
            (item, item["lookups"][name]) for item in items if name in item.get("lookups", {})
        ]
        candidates = _candidates(client, [lookup for _, lookup in wanted])
        to_create: list[tuple[WriteItem, OnDemandRecord]] = []
        for item, lookup in wanted:
            if item["key"] in resolved.refused:
                continue
            match = _match_of(lookup)
            rows = candidates.get(match, []) if match is not None else []
            if len(rows) == 1 or (rows and lookup["ties"] != "fail"):
                chosen = rows[-1] if lookup["ties"] == "newest" else rows[0]
                resolved.ids.setdefault(item["key"], {})[name] = str(chosen["Id"])
            elif rows:
                resolved.refused[item["key"]] = _ambiguous(name, lookup, rows)
            elif lookup["missing"] == "skip-field":
                resolved.left_out.setdefault(item["key"], []).append(name)
            elif lookup["missing"] == "create" and lookup["create"] is not None:
                to_create.append((item, lookup["create"]))
            else:
                resolved.refused[item["key"]] = _not_found(name, lookup)
        if to_create:
            _create(client, name, to_create, upsert, resolved)
    return resolved


def _match_of(lookup: LookupItem) -> Match | None:
    if lookup["match"] is None:
        return None
    return tuple((str(pair[0]), str(pair[1])) for pair in lookup["match"])


def _candidates(
    client: OrgClient, lookups: Sequence[LookupItem]
) -> dict[Match, list[dict[str, Any]]]:
    """Org records by the normalised match values they have, oldest first."""
    matches = sorted({match for lookup in lookups if (match := _match_of(lookup)) is not None})
    if not matches:
        return {}
    rule = lookups[0]  # one object mapping's chunk: every item has the same rule
    fields = [name for name, _ in matches[0]]
    found: dict[Match, dict[str, dict[str, Any]]] = {}
    for start in range(0, len(matches), LOOKUP_BATCH):
        batch = matches[start : start + LOOKUP_BATCH]
        values = {name: sorted({match[i][1] for match in batch}) for i, name in enumerate(fields)}
        rows = client.match_records(rule["sobject"], values, contains=rule["compare"] == "domain")
        for row in rows:
            key = tuple(
                (name, normalize_value(str(row.get(name) or ""), rule["compare"]))
                for name in fields
            )
            found.setdefault(key, {})[str(row["Id"])] = row
    return {
        key: sorted(rows.values(), key=lambda row: (str(row.get("CreatedDate")), str(row["Id"])))
        for key, rows in found.items()
    }


def _create(
    client: OrgClient,
    name: str,
    wanted: Sequence[tuple[WriteItem, OnDemandRecord]],
    upsert: Upsert,
    resolved: Resolved,
) -> None:
    """Upsert the on-demand records (each once) and point the items at them."""
    records = {record["key"]: record for _, record in wanted}
    first = next(iter(records.values()))
    results = upsert(
        client,
        first["sobject"],
        first["external_id_field"],
        [(key, record["body"]) for key, record in records.items()],
    )
    by_key = {result.key: result for result in results}
    resolved.created.extend((records[result.key], result) for result in results)
    for item, record in wanted:
        result = by_key[record["key"]]
        if result.success and result.sf_id:
            resolved.ids.setdefault(item["key"], {})[name] = result.sf_id
            continue
        cause = result.errors[0] if result.errors else FieldError("UNKNOWN_ERROR", "no error given")
        resolved.refused[item["key"]] = FieldError(
            "LOOKUP_CREATE_FAILED",
            f"{name}: nothing matched, and creating {record['sobject']} {record['key']} "
            f"failed: {cause.code}: {cause.message}",
            (name,),
        )


def _ambiguous(name: str, lookup: LookupItem, rows: Sequence[Mapping[str, Any]]) -> FieldError:
    ids = ", ".join(str(row["Id"]) for row in rows[:NAMED_CANDIDATES])
    more = f" and {len(rows) - NAMED_CANDIDATES} more" if len(rows) > NAMED_CANDIDATES else ""
    return FieldError(
        "LOOKUP_AMBIGUOUS",
        f"{name}: {len(rows)} {lookup['sobject']} records match {_described(lookup)} "
        f"({ids}{more}) and the mapping says 'ties: fail'. Make the match unique in the org, "
        "or set 'ties: oldest' or 'ties: newest' on the lookup.",
        (name,),
    )


def _not_found(name: str, lookup: LookupItem) -> FieldError:
    if lookup["match"] is None:
        what = "the contract has no value to match it by"
    else:
        what = f"no {lookup['sobject']} record matches {_described(lookup)}"
    return FieldError(
        "LOOKUP_NOT_FOUND",
        f"{name}: {what}. Create the record in the org or fix the contract, or set "
        "'missing: skip-field' or 'missing: create' on the lookup.",
        (name,),
    )


def _described(lookup: LookupItem) -> str:
    return " and ".join(f"{pair[0]} = {pair[1]}" for pair in lookup["match"] or [])
