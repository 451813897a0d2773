"""The mapping file: which Salesforce records a contract becomes, field by field.

A mapping is YAML validated by these models. Each object mapping names the sObject, the
external-ID field that keys its records, a key template that makes the stable external
key (from the contract, an obligation or an alert), and field rules. Field rules read a
path of the contract's view (``effective_date``, ``governing_law.subdivision``), a
constant, or a template, and may transform the value, map picklist values, fall back to a
default, or apply only when a condition holds.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, JsonValue, ValidationError, model_validator

from contractsync.errors import MappingError
from contractsync.model import OwnerRole, field_dictionary

Transform = Literal[
    "date", "datetime", "months", "days", "amount", "currency", "text", "upper", "lower",
    "boolean", "integer", "number", "join",
]  # fmt: skip

InboundPolicy = Literal["salesforce-wins", "contractsync-wins", "newest-wins", "manual"]
"""Who wins when a field changes in Salesforce (see
docs/decisions/0005-inbound-conflicts-and-echo-detection.md)."""

REVERSIBLE_TRANSFORMS = frozenset(
    {"date", "months", "days", "boolean", "integer", "amount", "number"}
)
"""Transforms whose Salesforce value can be turned back into the canonical value."""

_INBOUND_PLAIN = ("title", "status", "contract_type", "region", "business_unit")
_INBOUND_TYPES = frozenset(
    {"date", "expiration", "duration", "boolean", "integer", "enum", "money"}
)


def inbound_paths() -> frozenset[str]:
    """Contract view paths a Salesforce value can be written back to."""
    tracked = {spec.name for spec in field_dictionary().fields if spec.type in _INBOUND_TYPES}
    owners = {f"owners.{role.value}.email" for role in OwnerRole}
    return frozenset({*_INBOUND_PLAIN, *tracked, *owners})


TEMPLATE_FIELD = re.compile(r"\{([a-z_][a-z0-9_.]*)\}")
_API_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class FieldRule(_Strict):
    """How one Salesforce field gets its value."""

    source: str | None = Field(default=None, alias="from")
    """A path of the contract view, e.g. ``effective_date`` or ``account.name``."""
    value: JsonValue = None
    """A constant, used when ``from`` and ``template`` are absent."""
    template: str | None = None
    """Text with ``{path}`` placeholders, e.g. ``"{title} ({contract_key})"``."""
    transform: Transform | None = None
    map: dict[str, JsonValue] | None = None
    """Picklist value map applied after the transform: ``{active: Activated}``."""
    default: JsonValue = None
    """Used when the source is missing, not yet approved, or maps to nothing."""
    when: str | None = None
    """A view path that must be truthy for the field to be sent at all."""
    timezone: str = "UTC"
    """Time zone a date becomes a datetime in (``transform: datetime``)."""
    separator: str = "; "
    """For ``transform: join`` of a list."""
    inbound: InboundPolicy | None = None
    """Changes made to this field in Salesforce flow back to the contract, by this policy.
    Only for a plain ``from:`` path of a canonical field (or ``owners.<role>.email``)."""

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        given = [name for name in ("source", "template") if getattr(self, name) is not None]
        if len(given) > 1:
            raise ValueError("give one of 'from', 'template' or 'value', not several")
        if self.inbound is not None:
            if self.source is None:
                raise ValueError("'inbound' needs a plain 'from:' path to write the value back to")
            if self.source not in inbound_paths():
                raise ValueError(
                    f"'inbound' cannot write back to '{self.source}'; use one of: "
                    + ", ".join(sorted(inbound_paths()))
                )
            if self.transform is not None and self.transform not in REVERSIBLE_TRANSFORMS:
                raise ValueError(
                    f"'inbound' cannot undo 'transform: {self.transform}'; use one of: "
                    + ", ".join(sorted(REVERSIBLE_TRANSFORMS))
                )
        return self

    def paths(self) -> list[str]:
        """The view paths this rule reads."""
        found = [self.source] if self.source else []
        if self.template:
            found.extend(TEMPLATE_FIELD.findall(self.template))
        if self.when:
            found.append(self.when)
        return found


class Reference(_Strict):
    """A lookup to another mapped object's record, by that record's external ID.

    Sent as ``"Account": {"ContractSync_Key__c": "ACC-1"}``, which Salesforce resolves
    itself, so the child never needs the parent's Salesforce Id.
    """

    object: str
    """The name of the object mapping the reference points at."""
    relationship: str
    """The relationship name on this sObject, e.g. ``Account`` for ``AccountId``."""


class UserLookup(_Strict):
    """An owner (OwnerId) found by the email of the contract owner in a role."""

    role: Literal["account_manager", "legal", "finance", "operations"]
    match_on: Literal["Email", "FederationIdentifier", "Username"] = "Email"
    inbound: InboundPolicy | None = None
    """A new owner set in Salesforce becomes the contract's owner in this role (by email)."""

    @model_validator(mode="after")
    def _reversible(self) -> Self:
        if self.inbound is not None and self.match_on != "Email":
            raise ValueError("'inbound' on an owner needs 'match_on: Email'")
        return self


LookupTies = Literal["oldest", "newest", "fail"]
"""Which record a lookup takes when several match: the oldest (CreatedDate, then Id,
ascending), the newest (both descending), or none (the record is dead-lettered)."""
LookupMissing = Literal["fail", "skip-field", "create"]
"""What a lookup does when nothing matches (or the contract has no value to match): dead-
letter the record, send it without the field, or create the ``create`` object's record."""


class Lookup(_Strict):
    """An existing record found by field values, e.g. ``AccountId`` by the account's domain.

    Resolved at delivery, one SOQL query per lookup field and chunk; the Id found is sent
    in the target field. ``compare: domain`` matches URLs by host (``https://www.Acme.com/``
    is ``acme.com``); ``exact`` compares trimmed values case-insensitively, as SOQL does.
    """

    sobject: str
    match: dict[str, str]
    """Field of ``sobject`` → template of its value: ``{Website: "{account.domain}"}``."""
    compare: Literal["exact", "domain"] = "exact"
    ties: LookupTies = "fail"
    missing: LookupMissing = "fail"
    create: str | None = None
    """The object mapping whose record is created and used when nothing matches
    (``missing: create``); it is delivered only then, never on its own."""

    @model_validator(mode="after")
    def _rules(self) -> Self:
        for api_name in [self.sobject, *self.match]:
            if not _API_NAME.match(api_name):
                raise ValueError(f"'{api_name}' is not a Salesforce API name")
        if not self.match:
            raise ValueError("a lookup needs at least one 'match' field")
        if self.compare == "domain" and len(self.match) != 1:
            raise ValueError("'compare: domain' matches exactly one field (e.g. Website)")
        if (self.missing == "create") != (self.create is not None):
            raise ValueError("'missing: create' and 'create: <object mapping>' go together")
        return self

    def paths(self) -> list[str]:
        """The view paths the match templates read."""
        return [
            path for template in self.match.values() for path in TEMPLATE_FIELD.findall(template)
        ]


RemovalPolicy = Literal["keep", "delete", "deactivate"]


class ObjectMapping(_Strict):
    """One kind of Salesforce record made from a contract."""

    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    sobject: str
    external_id: str
    key: str
    """External key template, e.g. ``"{contract_key}"`` or ``"{contract_key}:{obligation.key}"``."""
    for_each: Literal["obligations"] | None = None
    when: str | None = None
    references: dict[str, Reference] = Field(default_factory=dict)
    owner: UserLookup | None = None
    lookups: dict[str, Lookup] = Field(default_factory=dict)
    """Reference field (``AccountId``) → how to find the existing record it points at."""
    fields: dict[str, FieldRule] = Field(default_factory=dict)
    create_with: dict[str, JsonValue] = Field(default_factory=dict)
    """Values a new record must be created with before the desired ones are applied
    (Contract: created in a Draft status, then activated)."""
    on_remove: RemovalPolicy = "keep"
    deactivate: dict[str, JsonValue] = Field(default_factory=dict)
    """Field values that mark a record inactive when ``on_remove: deactivate``."""

    @model_validator(mode="after")
    def _names(self) -> Self:
        names = [self.sobject, self.external_id, *self.fields, *self.create_with, *self.lookups]
        for api_name in names:
            if not _API_NAME.match(api_name):
                raise ValueError(f"'{api_name}' is not a Salesforce API name")
        for target in self.lookups:
            if target in self.fields or target == self.external_id:
                raise ValueError(f"'{target}' is set by a lookup; remove it from 'fields'")
        if self.on_remove == "deactivate" and not self.deactivate:
            raise ValueError("on_remove: deactivate needs the 'deactivate' field values")
        if self.external_id in self.fields:
            raise ValueError(f"'{self.external_id}' is the external ID; it is set from 'key'")
        if self.for_each and self.inbound_fields():
            raise ValueError("'inbound' is for records of the contract itself, not 'for_each'")
        return self

    def inbound_fields(self) -> dict[str, InboundPolicy]:
        """Salesforce field (``Owner`` for the owner lookup) → its inbound policy."""
        found: dict[str, InboundPolicy] = {
            name: rule.inbound for name, rule in self.fields.items() if rule.inbound is not None
        }
        if self.owner is not None and self.owner.inbound is not None:
            found["Owner"] = self.owner.inbound
        return found

    @property
    def parents(self) -> list[str]:
        """Object mappings delivered (or, for a lookup's ``create``, made) before this one."""
        found = [reference.object for reference in self.references.values()]
        return found + [lookup.create for lookup in self.lookups.values() if lookup.create]


class Mapping(_Strict):
    """A whole mapping file."""

    version: Literal[1] = 1
    objects: list[ObjectMapping]

    @model_validator(mode="after")
    def _graph(self) -> Self:
        names = [obj.name for obj in self.objects]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(f"object mapping names repeated: {', '.join(repeated)}")
        for obj in self.objects:
            for parent in obj.parents:
                if parent not in names:
                    raise ValueError(f"'{obj.name}' references unknown object mapping '{parent}'")
        self.in_delivery_order()  # raises on a cycle
        for name in self.created_by_lookups():
            _check_lookup_target(self, self.object(name))
        return self

    def created_by_lookups(self) -> frozenset[str]:
        """Object mappings that are a lookup's ``create``: made only when a lookup misses."""
        return frozenset(
            lookup.create
            for obj in self.objects
            for lookup in obj.lookups.values()
            if lookup.create is not None
        )

    def object(self, name: str) -> ObjectMapping:
        for obj in self.objects:
            if obj.name == name:
                return obj
        raise MappingError(f"No object mapping named '{name}'.")

    def in_delivery_order(self) -> list[ObjectMapping]:
        """Parents before children (Account → Contract → obligations ...), stable."""
        ordered: list[ObjectMapping] = []
        placed: set[str] = set()
        remaining = list(self.objects)
        while remaining:
            ready = [obj for obj in remaining if set(obj.parents) <= placed]
            if not ready:
                cycle = ", ".join(obj.name for obj in remaining)
                raise ValueError(f"object mappings reference each other in a cycle: {cycle}")
            for obj in ready:
                ordered.append(obj)
                placed.add(obj.name)
                remaining.remove(obj)
        return ordered


def _check_lookup_target(mapping: Mapping, target: ObjectMapping) -> None:
    """A record made on demand has no run of its own: nothing may wait for it, remove it, or
    need an owner resolved for it."""
    for obj in mapping.objects:
        for reference in obj.references.values():
            if reference.object == target.name:
                raise ValueError(
                    f"'{obj.name}' references '{target.name}', which a lookup creates only "
                    "when nothing matches; use the lookup there too"
                )
        for field_name, lookup in obj.lookups.items():
            if lookup.create == target.name and lookup.sobject.lower() != target.sobject.lower():
                raise ValueError(
                    f"'{obj.name}' lookup '{field_name}' finds {lookup.sobject} but creates "
                    f"'{target.name}', a {target.sobject}"
                )
    if target.for_each or target.owner is not None or target.on_remove != "keep":
        raise ValueError(
            f"'{target.name}' is created by a lookup: it cannot use 'for_each', 'owner' or "
            "an 'on_remove' other than keep"
        )


def load_mapping(path: Path) -> Mapping:
    """Read and validate a mapping file; every problem is named with its place."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise MappingError(
            f"Mapping file {path} cannot be read ({error.strerror}). Fix the org's 'mapping' "
            "setting or create the file.",
            path=str(path),
        ) from None
    except yaml.YAMLError as error:
        raise MappingError(
            f"Mapping file {path} is not valid YAML: {error}.", path=str(path)
        ) from None
    return parse_mapping(data, source=str(path))


def parse_mapping(data: Any, *, source: str) -> Mapping:
    try:
        return Mapping.model_validate(data)
    except ValidationError as error:
        problems = [
            f"{'.'.join(str(part) for part in e['loc']) or 'mapping'}: {e['msg']}"
            for e in error.errors()
        ]
        raise MappingError(
            f"Mapping {source} is invalid: " + "; ".join(problems),
            source=source,
            problems=problems,
        ) from None


def default_mapping_path() -> Path:
    return Path(__file__).with_name("default.yaml")
