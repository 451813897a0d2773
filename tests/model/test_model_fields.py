"""The field dictionary agrees with the record, and bad dictionaries are refused clearly."""

from __future__ import annotations

import re
import typing
from typing import Any

import pytest

from contractsync import model
from contractsync.errors import ModelError
from contractsync.model import (
    BillingFrequency,
    Contract,
    Criticality,
    Tracked,
    field_dictionary,
)
from contractsync.model._fields import FIELD_TYPES, parse_field_dictionary


def _is_tracked(annotation: Any) -> bool:
    """Whether a field's annotation is ``Tracked[...]`` or ``Tracked[...] | None``."""
    if typing.get_origin(annotation) is tuple:
        return False
    candidates = typing.get_args(annotation) or (annotation,)
    return any(
        isinstance(candidate, type) and issubclass(candidate, Tracked) for candidate in candidates
    )


def _tracked_contract_fields() -> set[str]:
    return {name for name, info in Contract.model_fields.items() if _is_tracked(info.annotation)}


def test_tracked_fields_are_found() -> None:
    # Guards the consistency test below against a helper that finds nothing.
    tracked = _tracked_contract_fields()
    assert "effective_date" in tracked
    assert "contract_key" not in tracked
    assert "obligations" not in tracked  # a tuple of tracked obligations, not one Tracked


def test_every_dictionary_entry_is_a_contract_field() -> None:
    assert set(field_dictionary().names()) <= set(Contract.model_fields)


def test_every_tracked_contract_field_is_in_the_dictionary() -> None:
    assert set(field_dictionary().names()) == _tracked_contract_fields() | {"obligations"}


def test_dictionary_follows_the_record_order() -> None:
    order = list(Contract.model_fields)
    names = field_dictionary().names()
    assert names == sorted(names, key=order.index)


def test_enum_entries_list_the_enum_values() -> None:
    assert field_dictionary()["billing_frequency"].values == tuple(BillingFrequency)


@pytest.mark.parametrize(
    ("name", "critical"),
    [
        pytest.param("effective_date", True, id="effective-date"),
        pytest.param("renewal_notice_period", True, id="notice-period"),
        pytest.param("auto_renew", True, id="auto-renew"),
        pytest.param("billing_frequency", False, id="billing-frequency"),
    ],
)
def test_criticality(name: str, critical: bool) -> None:
    spec = field_dictionary()[name]
    assert spec.critical is critical
    assert spec.criticality is (Criticality.CRITICAL if critical else Criticality.STANDARD)


def test_extractable_leaves_out_fields_set_by_people() -> None:
    extractable = {spec.name for spec in field_dictionary().extractable()}
    assert "termination_date" not in extractable
    assert "effective_date" in extractable
    assert "termination_date" in field_dictionary()


def test_unknown_field_lookup_names_the_known_fields() -> None:
    with pytest.raises(ModelError, match="'renewal_date' is not a canonical field") as raised:
        field_dictionary()["renewal_date"]
    assert "Known fields: parties, agreement_date" in str(raised.value)
    assert raised.value.field == "renewal_date"
    assert "renewal_date" not in field_dictionary()


def test_every_entry_has_a_known_type_and_a_description() -> None:
    for spec in field_dictionary().fields:
        assert spec.type in FIELD_TYPES
        assert spec.description


# ---- parse_field_dictionary ----


def _entry(**changes: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"type": "date", "criticality": "critical", "description": "A date."}
    entry.update(changes)
    return {k: v for k, v in entry.items() if v is not None}


def test_parse_field_dictionary_fills_defaults() -> None:
    parsed = parse_field_dictionary(
        {"fields": {"due": {"type": "date", "description": "When."}}}, source="f.yaml"
    )
    spec = parsed["due"]
    assert spec.criticality is Criticality.STANDARD
    assert spec.extractable is True
    assert spec.unit is None
    assert spec.values == ()


@pytest.mark.parametrize(
    ("document", "message"),
    [
        pytest.param(
            ["not", "a", "mapping"],
            "f.yaml: expected a mapping with a 'fields' mapping at the top",
            id="not-a-mapping",
        ),
        pytest.param(
            {"field": {}},
            "f.yaml: expected a mapping with a 'fields' mapping at the top",
            id="no-fields-key",
        ),
        pytest.param(
            {"fields": ["due"]},
            "f.yaml: expected a mapping with a 'fields' mapping at the top",
            id="fields-is-a-list",
        ),
        pytest.param(
            {"fields": {"due": "date"}},
            "f.yaml: field 'due' must be a mapping of its properties",
            id="entry-not-a-mapping",
        ),
        pytest.param(
            {"fields": {"due": _entry(type="datetime")}},
            "f.yaml: field 'due' has type 'datetime'; use one of boolean, date, duration",
            id="unknown-type",
        ),
        pytest.param(
            {"fields": {"due": _entry(type=None)}},
            "f.yaml: field 'due' has type None; use one of",
            id="missing-type",
        ),
        pytest.param(
            {"fields": {"due": _entry(criticality="high")}},
            "f.yaml: field 'due' has criticality 'high'; use 'critical' or 'standard'",
            id="bad-criticality",
        ),
        pytest.param(
            {"fields": {"due": _entry(description=None)}},
            "f.yaml: field 'due' needs a description",
            id="missing-description",
        ),
        pytest.param(
            {"fields": {"due": _entry(description="")}},
            "f.yaml: field 'due' needs a description",
            id="empty-description",
        ),
    ],
)
def test_parse_field_dictionary_names_the_bad_entry(document: Any, message: str) -> None:
    with pytest.raises(ModelError, match=re.escape(message)):
        parse_field_dictionary(document, source="f.yaml")


# ---- the package's public door ----

EXPECTED_EXPORTS = {
    "ALLOWED_TRANSITIONS",
    "TRANSITION_EVENTS",
    "AccountRef",
    "Amendment",
    "BillingFrequency",
    "Contract",
    "ContractType",
    "Criticality",
    "DocumentRef",
    "DocumentRole",
    "Duration",
    "Evidence",
    "Expiration",
    "FieldDictionary",
    "FieldSpec",
    "GoverningLaw",
    "LifecycleStatus",
    "Money",
    "Obligation",
    "ObligationKind",
    "Owner",
    "OwnerRole",
    "Party",
    "PartyRole",
    "Perpetual",
    "PriceEscalator",
    "Provenance",
    "Recurrence",
    "Remedy",
    "Review",
    "ReviewState",
    "ServiceLevel",
    "TerminationForConvenience",
    "Tracked",
    "add_months",
    "check_transition",
    "field_dictionary",
    "shift",
}


def test_model_exports_are_the_supported_surface() -> None:
    assert set(model.__all__) == EXPECTED_EXPORTS
    for name in model.__all__:
        assert hasattr(model, name), name
