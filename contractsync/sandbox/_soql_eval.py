"""Running a parsed SELECT over the sandbox org's records, shaped as the REST API answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from contractsync.sandbox._soql_aggregate import aggregate_record, check_aggregate_query
from contractsync.sandbox._soql_ast import (
    Aggregate,
    CountAll,
    FieldPath,
    OrderItem,
    SelectQuery,
    SemiJoin,
    SubQuery,
)
from contractsync.sandbox._soql_errors import SoqlError, unexpected_token
from contractsync.sandbox._soql_protocols import FieldInfo, RecordSource, SchemaView
from contractsync.sandbox._soql_resolve import (
    ConditionCompiler,
    Predicate,
    Record,
    ResolvedPath,
    relationship_error,
    resolve_path,
)
from contractsync.sandbox._soql_values import id_key, stored

# "The maximum offset is 2,000 rows. Requesting an offset greater than 2,000 results in a
# NUMBER_OUTSIDE_VALID_RANGE error" (OFFSET, SOQL Reference); wording as real orgs send it.
MAX_OFFSET = 2000
_INVALID_TYPE = (
    "sObject type '{name}' is not supported. If you are attempting to use a custom object, be "
    "sure to append the '__c' after the entity name. Please reference your WSDL or the "
    "describe call for the appropriate names."
)


def invalid_type(query: SelectQuery) -> SoqlError:
    """INVALID_TYPE for a FROM naming an object the org does not have (or cannot query)."""
    detail = _INVALID_TYPE.format(name=query.sobject)
    return SoqlError.at(query.text, query.sobject_position, "INVALID_TYPE", detail)


@dataclass(slots=True)
class SoqlResult:
    """All matching rows (the server pages them); COUNT() answers only ``total_size``."""

    records: list[dict[str, Any]]
    total_size: int


def execute_soql(
    query: SelectQuery,
    schema: SchemaView,
    source: RecordSource,
    *,
    now: dt.datetime,
    api_version: str = "59.0",
    include_deleted: bool = False,
) -> SoqlResult:
    """Evaluate ``query`` as Salesforce would at instant ``now`` (relative dates use UTC).

    ``include_deleted`` is queryAll: the source then also yields recycled rows.

    Raises:
        SoqlError: unknown object, field or relationship, or a literal of the wrong type.
        ValueError: ``now`` is naive.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    run = _Run(
        schema,
        source,
        text=query.text,
        now=now,
        api_version=api_version,
        include_deleted=include_deleted,
    )
    return run.top(query)


@dataclass(slots=True)
class _Plan:
    """A SELECT bound to its sObject: resolved fields, filter, sort and child plans."""

    sobject: str
    query: SelectQuery
    fields: list[ResolvedPath]
    predicate: Predicate | None
    order: list[tuple[ResolvedPath, OrderItem]]
    children: list[tuple[str, FieldInfo, _Plan]] = field(default_factory=list)


class _Run:
    def __init__(
        self,
        schema: SchemaView,
        source: RecordSource,
        *,
        text: str,
        now: dt.datetime,
        api_version: str,
        include_deleted: bool,
    ) -> None:
        self.schema = schema
        self.source = source
        self.text = text
        self.now = now
        self.api_version = api_version
        self.include_deleted = include_deleted
        self.parents: dict[tuple[str, str], tuple[str, Mapping[str, Any]] | None] = {}
        self.indexes: dict[int, dict[str, list[Record]]] = {}

    # -- planning ------------------------------------------------------------------------

    def top(self, query: SelectQuery) -> SoqlResult:
        sobject = self.schema.object_name(query.sobject)
        if sobject is None:
            raise invalid_type(query)
        plan = self.plan(sobject, query)
        rows = self.rows(plan, self.source.scan(sobject, include_deleted=self.include_deleted))
        if any(isinstance(item, CountAll) for item in query.select):
            return SoqlResult([], len(rows))
        aggregates = [item for item in query.select if isinstance(item, Aggregate)]
        if aggregates:
            resolved = [resolve_path(self.schema, sobject, a.field, self.text) for a in aggregates]
            values = [[self.lookup(row, path) for row in rows] for path in resolved]
            return SoqlResult([aggregate_record(aggregates, resolved, values)], 1)
        return SoqlResult([self.project(plan, row) for row in rows], len(rows))

    def plan(self, sobject: str, query: SelectQuery) -> _Plan:
        check_aggregate_query(query)
        if query.offset is not None and query.offset > MAX_OFFSET:
            raise SoqlError(
                "NUMBER_OUTSIDE_VALID_RANGE",
                f"Maximum SOQL offset allowed for apiName {sobject} is {MAX_OFFSET}",
            )
        fields: list[ResolvedPath] = []
        children: list[tuple[str, FieldInfo, _Plan]] = []
        seen: set[str] = set()
        for item in query.select:
            if isinstance(item, FieldPath):
                resolved = resolve_path(self.schema, sobject, item, self.text)
                key = ".".join([h.relationship for h in resolved.hops] + [resolved.field.name])
                if key.lower() in seen:
                    raise SoqlError("INVALID_FIELD", f"duplicate field selected: {item.text}")
                seen.add(key.lower())
                fields.append(resolved)
            elif isinstance(item, SubQuery):
                children.append(self.child_plan(sobject, item))
        compiler = ConditionCompiler(
            self.schema, sobject, self.text, self.now, self.lookup, semi_join=self.semi_join
        )
        predicate = compiler.compile(query.where) if query.where is not None else None
        order = [
            (resolve_path(self.schema, sobject, item.field, self.text), item)
            for item in query.order_by
        ]
        return _Plan(sobject, query, fields, predicate, order, children)

    def child_plan(self, parent: str, item: SubQuery) -> tuple[str, FieldInfo, _Plan]:
        name = item.query.sobject
        # The relationship may be qualified by its parent: FROM Account.Contacts.
        prefix, _, rest = name.rpartition(".")
        if prefix and (self.schema.object_name(prefix) or "").lower() == parent.lower():
            name = rest
        found = self.schema.child_relationship(parent, name)
        if found is None:
            position = item.query.sobject_position
            raise relationship_error(self.text, position, name, "FROM part of query call")
        child, reference = found
        return name, reference, self.plan(child, item.query)

    # -- reading -------------------------------------------------------------------------

    def rows(self, plan: _Plan, records: Iterable[Mapping[str, Any]]) -> list[Record]:
        """Filter, sort, then apply OFFSET and LIMIT."""
        query = plan.query
        matching = [r for r in records if plan.predicate is None or plan.predicate(r)]
        for resolved, item in reversed(plan.order):
            matching.sort(key=self._sort_key(resolved, item), reverse=item.descending)
        start = query.offset or 0
        stop = None if query.limit is None else start + query.limit
        return matching[start:stop]

    def _sort_key(self, resolved: ResolvedPath, item: OrderItem) -> Callable[[Record], Any]:
        # Python keeps equal keys in input order even with reverse=True, so sorting by the
        # last key first gives a stable multi-key sort; nulls rank by the NULLS clause.
        nulls_high = item.descending == item.nulls_first
        kind = resolved.category

        def key(record: Record) -> tuple[Any, ...]:
            value = stored(kind, self.lookup(record, resolved))
            if value is None:
                return (1,) if nulls_high else (0,)
            if kind == "multi":
                value = ";".join(sorted(value))
            return (0, value) if nulls_high else (1, value)

        return key

    def semi_join(self, condition: SemiJoin) -> frozenset[Any]:
        """The ids the subquery of ``field [NOT] IN (SELECT ...)`` selects."""
        query = condition.query
        sobject = self.schema.object_name(query.sobject)
        if sobject is None:
            raise invalid_type(query)
        item = query.select[0] if len(query.select) == 1 else None
        if not isinstance(item, FieldPath):  # one field, no aggregate: the ids to match
            raise unexpected_token(self.text, query.sobject_position, query.sobject)
        selected = resolve_path(self.schema, sobject, item, self.text)
        plan = self.plan(sobject, query)
        rows = self.rows(plan, self.source.scan(sobject, include_deleted=False))
        values = (stored(selected.category, self.lookup(row, selected)) for row in rows)
        return frozenset(value for value in values if value is not None)

    def lookup(self, record: Record, resolved: ResolvedPath) -> Any:
        current: Mapping[str, Any] | None = record
        for hop in resolved.hops:
            found = self.parent(current, hop.reference, hop.parent) if current else None
            current = found[1] if found else None
        return current.get(resolved.field.name) if current is not None else None

    def parent(
        self, record: Mapping[str, Any], reference: FieldInfo, declared: str
    ) -> tuple[str, Mapping[str, Any]] | None:
        """The parent record and its sObject; polymorphic lookups try each target type."""
        value = record.get(reference.name)
        if not value:
            return None
        cache_key = (reference.name, str(value))
        if cache_key not in self.parents:
            found = None
            for sobject in dict.fromkeys((declared, *reference.reference_to)):
                parent = self.source.get(sobject, str(value))
                if parent is not None:
                    found = (sobject, parent)
                    break
            self.parents[cache_key] = found
        return self.parents[cache_key]

    # -- shaping -------------------------------------------------------------------------

    def attributes(self, sobject: str, record: Mapping[str, Any]) -> dict[str, str]:
        url = f"/services/data/v{self.api_version}/sobjects/{sobject}/{record.get('Id')}"
        return {"type": sobject, "url": url}

    def project(self, plan: _Plan, record: Record) -> dict[str, Any]:
        out: dict[str, Any] = {"attributes": self.attributes(plan.sobject, record)}
        for resolved in plan.fields:
            self._place(out, record, resolved)
        for name, reference, child_plan in plan.children:
            out[name] = self.children(record, reference, child_plan)
        return out

    def children(self, parent: Record, reference: FieldInfo, plan: _Plan) -> dict[str, Any] | None:
        parent_key = id_key(str(parent.get("Id", "")))
        candidates = self._child_index(plan, reference).get(parent_key or "", [])
        rows = self.rows(plan, candidates)
        if not rows:
            return None
        records = [self.project(plan, row) for row in rows]
        return {"totalSize": len(records), "done": True, "records": records}

    def _place(self, out: dict[str, Any], record: Record, resolved: ResolvedPath) -> None:
        # Parent fields nest under the relationship name, which is null when the lookup is
        # empty: {"Account": {"attributes": {...}, "Name": "Acme"}} or {"Account": null}.
        target, current = out, record
        for hop in resolved.hops:
            found = self.parent(current, hop.reference, hop.parent)
            if found is None:
                target.setdefault(hop.relationship, None)
                return
            nested = target.get(hop.relationship)
            if nested is None:
                nested = target[hop.relationship] = {"attributes": self.attributes(*found)}
            target, current = nested, found[1]
        target[resolved.field.name] = current.get(resolved.field.name)

    def _child_index(self, plan: _Plan, reference: FieldInfo) -> dict[str, list[Record]]:
        """The child rows of a subquery grouped by parent id, read once per query."""
        cached = self.indexes.get(id(plan))
        if cached is None:
            cached = {}
            for row in self.source.scan(plan.sobject, include_deleted=self.include_deleted):
                value = row.get(reference.name)
                if value:
                    cached.setdefault(id_key(str(value)) or str(value), []).append(row)
            self.indexes[id(plan)] = cached
        return cached
