"""The custom objects and fields a mapping needs in an org, derived from the mapping itself.

Every ``__c`` field a mapping writes becomes a package field whose type follows from the
rule (its transform, or the canonical field it reads); external-ID fields are Text(80),
External ID, Unique; lookups to other mapped objects become lookup fields. The result is
neutral (describe-shaped); the metadata writer turns it into Salesforce source format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from contractsync.mapping import FieldRule, Mapping
from contractsync.model import (
    BillingFrequency,
    ContractType,
    LifecycleStatus,
    ObligationKind,
    OwnerRole,
    field_dictionary,
)

_PICKLISTS: dict[str, tuple[str, ...]] = {
    "status": tuple(status.value for status in LifecycleStatus),
    "contract_type": tuple(kind.value for kind in ContractType),
    "billing_frequency": tuple(frequency.value for frequency in BillingFrequency),
    "obligation.kind": tuple(kind.value for kind in ObligationKind),
    "obligation.owner_role": tuple(role.value for role in OwnerRole),
    "obligation.obligor": ("us", "counterparty", "both"),
}
_DERIVED = {"term_end": "date", "renewal_notice_deadline": "date", "is_perpetual": "boolean"}
_LONG_TEXT = {"obligation.description"}
_SHORT_TEXT = {"governing_law.country": 2, "governing_law.subdivision": 6}


@dataclass(frozen=True, slots=True)
class PackageField:
    """One custom field, in describe terms (``type``: string, date, double, boolean ...)."""

    name: str
    label: str
    type: str
    length: int = 0
    precision: int = 0
    scale: int = 0
    external_id: bool = False
    unique: bool = False
    reference_to: str | None = None
    relationship_name: str | None = None
    picklist_values: tuple[str, ...] = ()

    def describe(self) -> dict[str, Any]:
        """The field as a describe entry (what the sandbox org's schema API takes)."""
        data: dict[str, Any] = {"name": self.name, "label": self.label, "type": self.type}
        if self.length:
            data["length"] = self.length
        if self.precision:
            data["precision"], data["scale"] = self.precision, self.scale
        if self.external_id:
            data["externalId"] = True
        if self.unique:
            data["unique"] = True
        if self.reference_to:
            data["referenceTo"] = [self.reference_to]
            data["relationshipName"] = self.relationship_name
        if self.picklist_values:
            data["picklistValues"] = [
                {"value": value, "label": value, "active": True, "defaultValue": False}
                for value in self.picklist_values
            ]
        return data


@dataclass(frozen=True, slots=True)
class PackageObject:
    name: str
    custom: bool
    label: str
    fields: tuple[PackageField, ...] = field(default_factory=tuple)


def package_objects(mapping: Mapping) -> list[PackageObject]:
    """The objects (custom ones whole, standard ones by their custom fields) to deploy."""
    sobjects = {obj.name: obj.sobject for obj in mapping.objects}
    found: dict[str, dict[str, PackageField]] = {}
    for obj in mapping.objects:
        fields = found.setdefault(obj.sobject, {})
        if _custom(obj.external_id):
            fields[obj.external_id] = PackageField(
                obj.external_id,
                "contractsync key",
                "string",
                length=80,
                external_id=True,
                unique=True,
            )
        for name, rule in obj.fields.items():
            if _custom(name):
                fields.setdefault(name, _field_for(name, rule))
        for relationship, reference in obj.references.items():
            if relationship.endswith("__r"):
                api_name = relationship[:-3] + "__c"
                fields.setdefault(
                    api_name,
                    PackageField(
                        api_name,
                        _label(api_name),
                        "reference",
                        reference_to=sobjects[reference.object],
                        relationship_name=relationship,
                    ),
                )
    return [
        PackageObject(name, _custom(name), _label(name), tuple(fields.values()))
        for name, fields in found.items()
        if fields or _custom(name)
    ]


def _field_for(name: str, rule: FieldRule) -> PackageField:
    label = _label(name)
    kind = _kind(rule)
    if kind == "picklist":
        path = rule.source or ""
        return PackageField(name, label, "picklist", picklist_values=_PICKLISTS[path])
    if kind == "long":
        return PackageField(name, label, "textarea", length=32768)
    if kind == "string":
        return PackageField(name, label, "string", length=_SHORT_TEXT.get(rule.source or "", 255))
    if kind == "double":
        return PackageField(name, label, "double", precision=18, scale=0)
    if kind == "currency":
        return PackageField(name, label, "currency", precision=18, scale=2)
    return PackageField(name, label, kind)


def _kind(rule: FieldRule) -> str:
    if rule.transform in {"date", "datetime", "boolean"}:
        return rule.transform
    if rule.transform in {"months", "days", "integer", "number"}:
        return "double"
    if rule.transform == "amount":
        return "currency"
    if rule.transform in {"currency", "text", "upper", "lower", "join"} or rule.template:
        return "string"
    if isinstance(rule.value, bool):
        return "boolean"
    source = rule.source or ""
    if source in _PICKLISTS:
        return "picklist"
    if source in _LONG_TEXT:
        return "long"
    if source in _DERIVED:
        return _DERIVED[source]
    head = source.split(".")[0]
    if "." not in source and head in field_dictionary():
        dictionary_type = field_dictionary()[head].type
        return {"date": "date", "boolean": "boolean", "integer": "double"}.get(
            dictionary_type, "string"
        )
    return "string"


def _custom(api_name: str) -> bool:
    return api_name.endswith("__c")


def _label(api_name: str) -> str:
    core = api_name.removesuffix("__c").removesuffix("__r").removeprefix("CS_")
    return core.replace("_", " ")
