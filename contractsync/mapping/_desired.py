"""Desired Salesforce records of a contract: a pure function of the contract and mapping."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

from contractsync.model import Contract
from contractsync.store import canonical_json

from ._lookup import LookupRef, normalize_value
from ._spec import TEMPLATE_FIELD, FieldRule, Mapping, ObjectMapping
from ._transforms import NotRepresentable, plain_value, to_salesforce
from ._view import contract_view, resolve


@dataclass(frozen=True, slots=True)
class ParentRef:
    """A lookup sent as ``{relationship: {external_id_field: key}}``."""

    object_name: str
    external_id_field: str
    key: str


@dataclass(frozen=True, slots=True)
class DesiredRecord:
    """One record as contractsync wants it to be in an org."""

    object_name: str
    sobject: str
    external_id_field: str
    key: str
    contract_key: str
    fields: MappingABC[str, Any]
    references: MappingABC[str, ParentRef] = field(default_factory=dict)
    owner: tuple[str, str] | None = None
    """(User field to match, value) for OwnerId, resolved at delivery."""
    create_with: MappingABC[str, Any] = field(default_factory=dict)
    withheld: tuple[str, ...] = ()
    lookups: MappingABC[str, LookupRef] = field(default_factory=dict)
    """Reference field → the existing record it should point at, resolved at delivery."""

    @property
    def identity(self) -> tuple[str, str]:
        return (self.sobject, self.key)

    def snapshot(self) -> dict[str, Any]:
        """Everything that decides what is sent, as JSON: what a sync confirms and diffs."""
        snapshot: dict[str, Any] = dict(self.fields)
        for relationship, parent in sorted(self.references.items()):
            snapshot[relationship] = {parent.external_id_field: parent.key}
        if self.owner is not None:
            snapshot["Owner"] = {self.owner[0]: self.owner[1]}
        return snapshot

    @property
    def fingerprint(self) -> str:
        # A lookup's Id is only known at delivery, so the snapshot cannot hold it; what the
        # lookup asks for is fingerprinted instead (a new domain means a new lookup). Records
        # without lookups keep the fingerprint they always had.
        data = self.snapshot()
        if self.lookups:
            data["@lookups"] = {name: ref.identity() for name, ref in sorted(self.lookups.items())}
        return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()

    def body(self, *, owner_id: str | None = None) -> dict[str, Any]:
        """The JSON to upsert: fields, parent lookups by external id, and the owner."""
        body = {name: value for name, value in self.snapshot().items() if name != "Owner"}
        if owner_id is not None:
            body["OwnerId"] = owner_id
        return body


def desired_records(contract: Contract, mapping: Mapping, *, today: date) -> list[DesiredRecord]:
    """The records ``contract`` should have, in delivery order (parents first)."""
    view = contract_view(contract, today=today)
    made: dict[str, list[DesiredRecord]] = {}
    for obj in mapping.in_delivery_order():
        if obj.when and not resolve(view.values, obj.when):
            made[obj.name] = []
            continue
        scopes = (
            [{**view.values, "obligation": item} for item in view.values["obligations"]]
            if obj.for_each == "obligations"
            else [view.values]
        )
        made[obj.name] = [
            record
            for scope in scopes
            if (record := _record(obj, scope, view.withheld, made, mapping)) is not None
        ]
    on_demand = mapping.created_by_lookups()
    return [
        record
        for obj in mapping.in_delivery_order()
        if obj.name not in on_demand
        for record in made[obj.name]
    ]


def _record(
    obj: ObjectMapping,
    scope: dict[str, Any],
    withheld: dict[str, str],
    made: dict[str, list[DesiredRecord]],
    mapping: Mapping,
) -> DesiredRecord | None:
    key = render(obj.key, scope)
    if key is None:
        return None
    fields: dict[str, Any] = {}
    notes: list[str] = []
    for name, rule in sorted(obj.fields.items()):
        if rule.when and not resolve(scope, rule.when):
            continue
        try:
            value = field_value(rule, scope)
        except NotRepresentable as problem:
            notes.append(f"{name}: {problem}")
            if rule.default is None:
                continue
            value = rule.default
        if value is None and rule.source and rule.source.split(".")[0] in withheld:
            notes.append(f"{name}: {rule.source} is {withheld[rule.source.split('.')[0]]}")
            if rule.default is None:
                continue  # leave Salesforce's value alone rather than clear it
        fields[name] = value
    references: dict[str, ParentRef] = {}
    for relationship, reference in sorted(obj.references.items()):
        parents = made.get(reference.object, [])
        if parents:
            parent = parents[0]
            references[relationship] = ParentRef(
                reference.object, parent.external_id_field, parent.key
            )
    owner = None
    if obj.owner is not None:
        email = resolve(scope, f"owners.{obj.owner.role}.email")
        if email:
            owner = (obj.owner.match_on, str(email))
    lookups: dict[str, LookupRef] = {}
    for target, lookup in sorted(obj.lookups.items()):
        values = [(name, render(template, scope)) for name, template in lookup.match.items()]
        match = tuple(
            (name, normalize_value(value, lookup.compare)) for name, value in values if value
        )
        created = made.get(lookup.create, []) if lookup.create else []
        lookups[target] = LookupRef(
            sobject=lookup.sobject,
            match=match if len(match) == len(values) and all(v for _, v in match) else None,
            compare=lookup.compare,
            ties=lookup.ties,
            missing=lookup.missing,
            create=created[0] if created else None,
        )
    return DesiredRecord(
        object_name=obj.name,
        sobject=obj.sobject,
        external_id_field=obj.external_id,
        key=key,
        contract_key=str(scope["contract_key"]),
        fields=MappingProxyType(fields),
        references=MappingProxyType(references),
        owner=owner,
        create_with=MappingProxyType(dict(obj.create_with)),
        withheld=tuple(notes),
        lookups=MappingProxyType(lookups),
    )


def field_value(rule: FieldRule, scope: dict[str, Any]) -> Any:
    """The Salesforce value of one rule in one scope (None when there is none)."""
    if rule.template is not None:
        raw: Any = render(rule.template, scope)
        value = to_salesforce(raw, rule)
    elif rule.source is not None:
        value = to_salesforce(resolve(scope, rule.source), rule)
    else:
        value = rule.value
    return rule.default if value is None else value


def render(template: str, scope: dict[str, Any]) -> str | None:
    """Fill ``{path}`` placeholders; None when any of them has no value."""
    missing = False

    def fill(match: Any) -> str:
        nonlocal missing
        value = resolve(scope, match.group(1))
        if value is None or value == "":
            missing = True
            return ""
        return str(plain_value(value))

    text = TEMPLATE_FIELD.sub(fill, template)
    return None if missing else text
