"""An in-memory org for the SOQL engine's tests: describe metadata and records from data."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contractsync.sandbox._soql import SoqlResult, execute_soql, parse_soql

CASES = Path(__file__).parent / "cases" / "soql"
# A Wednesday, mid-quarter: weeks run Sunday 2025-06-15 to Saturday 2025-06-21.
NOW = dt.datetime(2025, 6, 18, 12, 0, tzinfo=dt.UTC)


@dataclass
class FakeField:
    name: str
    type: str
    reference_to: tuple[str, ...] = ()
    relationship_name: str | None = None


class FakeOrg:
    """SchemaView and RecordSource over a dict shaped like cases/soql/org.json."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.fields_by_object: dict[str, list[FakeField]] = {}
        self.children: dict[str, dict[str, tuple[str, str]]] = {}
        for sobject, spec in data["objects"].items():
            self.fields_by_object[sobject] = [
                FakeField(f["name"], f["type"], tuple(f["reference_to"]), f["relationship_name"])
                for f in spec["fields"]
            ]
            self.children[sobject] = {
                child["name"].lower(): (child["child"], child["field"])
                for child in spec.get("children", [])
            }
        self.records: dict[str, list[dict[str, Any]]] = {
            sobject: [dict(record) for record in records]
            for sobject, records in data["records"].items()
        }
        self.ids: dict[str, str] = dict(data.get("ids", {}))
        self.scans: list[tuple[str, bool]] = []

    # SchemaView
    def object_name(self, name: str) -> str | None:
        return next((o for o in self.fields_by_object if o.lower() == name.lower()), None)

    def field(self, sobject: str, name: str) -> FakeField | None:
        fields = self.fields_by_object.get(sobject, [])
        return next((f for f in fields if f.name.lower() == name.lower()), None)

    def fields(self, sobject: str) -> Sequence[FakeField]:
        return self.fields_by_object[sobject]

    def parent_relationship(
        self, sobject: str, relationship_name: str
    ) -> tuple[FakeField, str] | None:
        for f in self.fields_by_object.get(sobject, []):
            if f.relationship_name and f.relationship_name.lower() == relationship_name.lower():
                return f, f.reference_to[0]
        return None

    def child_relationship(
        self, sobject: str, relationship_name: str
    ) -> tuple[str, FakeField] | None:
        found = self.children.get(sobject, {}).get(relationship_name.lower())
        if found is None:
            return None
        child, field_name = found
        child_field = self.field(child, field_name)
        assert child_field is not None
        return child, child_field

    # RecordSource
    def scan(self, sobject: str, *, include_deleted: bool) -> Iterable[Mapping[str, Any]]:
        self.scans.append((sobject, include_deleted))
        return [
            r for r in self.records.get(sobject, []) if include_deleted or not r.get("IsDeleted")
        ]

    def get(self, sobject: str, record_id: str) -> Mapping[str, Any] | None:
        return next((r for r in self.records.get(sobject, []) if r["Id"] == record_id), None)


def load_org(name: str = "org.json") -> FakeOrg:
    return FakeOrg(json.loads((CASES / name).read_text(encoding="utf-8")))


def run(
    org: FakeOrg, soql: str, *, include_deleted: bool = False, now: dt.datetime = NOW
) -> SoqlResult:
    return execute_soql(parse_soql(soql), org, org, now=now, include_deleted=include_deleted)


def test_the_fake_org_hides_deleted_rows_unless_asked() -> None:
    org = load_org()
    live = [r["Id"] for r in org.scan("Contract", include_deleted=False)]
    every = [r["Id"] for r in org.scan("Contract", include_deleted=True)]
    assert org.ids["C5"] not in live
    assert org.ids["C5"] in every


def test_the_fake_org_looks_names_up_case_insensitively() -> None:
    org = load_org()
    assert org.object_name("contract") == "Contract"
    field = org.field("Contract", "ext_id__C")
    assert field is not None
    assert field.name == "Ext_Id__c"
