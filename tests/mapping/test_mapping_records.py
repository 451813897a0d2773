"""Desired records from the default mapping and the example contracts: pure, no I/O."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from contractsync.errors import MappingError
from contractsync.ingest import read_record_file
from contractsync.mapping import (
    DesiredRecord,
    FieldRule,
    NotRepresentable,
    default_mapping_path,
    desired_records,
    load_mapping,
    parse_mapping,
    to_salesforce,
)
from contractsync.model import Contract, Duration, Money, Review

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "contracts"
TODAY = date(2026, 11, 28)


def _example(name: str) -> Contract:
    return read_record_file(EXAMPLES / name / "contract.yaml").contract


def _by_key(records: list[DesiredRecord]) -> dict[str, DesiredRecord]:
    return {record.key: record for record in records}


def test_a_contract_becomes_account_contract_and_obligations_parents_first() -> None:
    records = desired_records(
        _example("northwind-saas"), load_mapping(default_mapping_path()), today=TODAY
    )

    assert [record.sobject for record in records] == [
        "Account",
        "Contract",
        "CS_Obligation__c",
        "CS_Obligation__c",
    ]
    contract = _by_key(records)["NWT-SUB-2025"]
    assert contract.fields["StartDate"] == "2025-02-01"
    assert contract.fields["ContractTerm"] == 36
    assert contract.fields["Status"] == "Activated"
    assert contract.fields["CS_Governing_Law_Subdivision__c"] == "GB-ENG"
    assert contract.snapshot()["Account"] == {"CS_Key__c": "ACC-NORTHWIND"}
    assert contract.owner == ("Email", "maria.lopez@contoso.example")
    assert contract.create_with == {"Status": "Draft"}


def test_amendments_in_force_change_the_desired_values() -> None:
    mapping = load_mapping(default_mapping_path())
    before = _by_key(desired_records(_example("northwind-saas"), mapping, today=date(2026, 2, 1)))
    after = _by_key(desired_records(_example("northwind-saas"), mapping, today=date(2026, 3, 1)))

    assert before["NWT-SUB-2025"].fields["CS_Renewal_Notice_Days__c"] == 90
    assert after["NWT-SUB-2025"].fields["CS_Renewal_Notice_Days__c"] == 60
    assert after["NWT-SUB-2025"].fields["CS_Annual_Value__c"] == 195000
    assert before["NWT-SUB-2025"].fingerprint != after["NWT-SUB-2025"].fingerprint


def test_values_pending_review_are_withheld_not_sent() -> None:
    records = _by_key(
        desired_records(
            _example("adatum-reseller"), load_mapping(default_mapping_path()), today=TODAY
        )
    )
    contract = records["ADT-RES-2026"]
    assert "CS_Payment_Terms_Days__c" not in contract.fields
    assert any("payment_terms_days is pending review" in note for note in contract.withheld)
    # The pending obligation of the Northwind example never becomes a record.
    northwind = desired_records(
        _example("northwind-saas"), load_mapping(default_mapping_path()), today=TODAY
    )
    assert "NWT-SUB-2025:NWT-SUB-2025-QTR-REPORT" not in _by_key(northwind)


def test_the_same_contract_always_gives_the_same_records() -> None:
    mapping = load_mapping(default_mapping_path())
    first = desired_records(_example("fabrikam-supply"), mapping, today=TODAY)
    second = desired_records(_example("fabrikam-supply"), mapping, today=TODAY)
    assert [r.fingerprint for r in first] == [r.fingerprint for r in second]


@pytest.mark.parametrize(
    ("value", "rule", "expected"),
    [
        pytest.param(date(2025, 2, 1), {"transform": "date"}, "2025-02-01", id="date"),
        pytest.param(
            date(2025, 2, 1),
            {"transform": "datetime", "timezone": "America/New_York"},
            "2025-02-01T05:00:00.000Z",
            id="date-at-midnight-new-york",
        ),
        pytest.param(Duration(months=24), {"transform": "months"}, 24, id="months"),
        pytest.param(Duration(days=45), {"transform": "days"}, 45, id="days"),
        pytest.param(
            Money(amount="1200.50", currency="EUR"), {"transform": "amount"}, 1200.5, id="amount"
        ),
        pytest.param(
            Money(amount="1200", currency="EUR"), {"transform": "currency"}, "EUR", id="currency"
        ),
        pytest.param("active", {"map": {"active": "Activated"}}, "Activated", id="picklist-map"),
        pytest.param(["a", "b"], {"transform": "join", "separator": ", "}, "a, b", id="join"),
        pytest.param("Ab", {"transform": "upper"}, "AB", id="upper"),
        pytest.param(None, {"transform": "date"}, None, id="none-stays-none"),
    ],
)
def test_transforms(value: Any, rule: dict[str, Any], expected: Any) -> None:
    assert to_salesforce(value, FieldRule.model_validate(rule)) == expected


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        pytest.param(Duration(days=90), {"transform": "months"}, id="days-as-months"),
        pytest.param(Duration(months=1), {"transform": "days"}, id="months-as-days"),
        pytest.param("expired", {"map": {"active": "Activated"}}, id="unmapped-picklist"),
        pytest.param("x", {"transform": "date"}, id="not-a-date"),
    ],
)
def test_values_that_cannot_become_the_field_say_why(value: Any, rule: dict[str, Any]) -> None:
    with pytest.raises(NotRepresentable):
        to_salesforce(value, FieldRule.model_validate(rule))


def test_an_unknown_time_zone_is_a_mapping_error() -> None:
    with pytest.raises(MappingError, match="Unknown time zone 'Mars/Base'"):
        to_salesforce(
            date(2025, 1, 1),
            FieldRule.model_validate({"transform": "datetime", "timezone": "Mars/Base"}),
        )


INVALID = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "cases" / "mappings" / "invalid.yaml").read_text(
        encoding="utf-8"
    )
)
BAD_MAPPINGS = [
    pytest.param(case["mapping"], case["error"], id=name) for name, case in INVALID.items()
]


@pytest.mark.parametrize(("data", "message"), BAD_MAPPINGS)
def test_bad_mappings_name_every_problem(data: dict[str, Any], message: str) -> None:
    with pytest.raises(MappingError, match=message):
        parse_mapping(data, source="test.yaml")


def test_a_missing_or_broken_mapping_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match=r"nope.yaml cannot be read"):
        load_mapping(tmp_path / "nope.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("objects: [\n", encoding="utf-8")
    with pytest.raises(MappingError, match="is not valid YAML"):
        load_mapping(broken)


def test_a_contract_without_an_account_is_not_delivered_yet(
    make_contract: Callable[..., Contract],
) -> None:
    records = desired_records(
        make_contract("NO-ACCOUNT"), load_mapping(default_mapping_path()), today=TODAY
    )
    assert records == []


def test_an_unapproved_amendment_is_withheld_from_salesforce() -> None:
    contract = _example("northwind-saas")
    [amendment] = contract.amendments
    pending = contract.model_copy(
        update={"amendments": (amendment.model_copy(update={"review": Review()}),)}
    )
    records = _by_key(desired_records(pending, load_mapping(default_mapping_path()), today=TODAY))

    assert "CS_Renewal_Notice_Days__c" not in records["NWT-SUB-2025"].fields
    assert any(
        "renewal_notice_period is pending review" in n for n in records["NWT-SUB-2025"].withheld
    )
