"""The contract record: derived dates, amendments, cross-field validation and JSON form."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractsync.errors import ModelError
from contractsync.model import Contract, Duration, LifecycleStatus, ReviewState
from contractsync.model._terms import KEY_PATTERN

SIGNED_SHA = "1" * 64
AMENDMENT_SHA = "2" * 64
OTHER_SHA = "3" * 64


def _tracked(value: Any, **extra: Any) -> dict[str, Any]:
    return {"value": value, **extra}


def _evidence(sha: str) -> dict[str, Any]:
    return {"document_sha256": sha, "page": 1, "start": 0, "end": 4, "snippet": "term"}


def _document(sha: str, name: str, role: str = "signed") -> dict[str, Any]:
    return {"sha256": sha, "name": name, "media_type": "text/plain", "size_bytes": 10, "role": role}


def _record(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"contract_key": "C-1", "title": "A contract"}
    data.update(changes)
    return data


def _contract(**changes: Any) -> Contract:
    return Contract.parse_record(_record(**changes), source="test record")


def _obligation(key: str, **changes: Any) -> dict[str, Any]:
    value = {"key": key, "kind": "reporting", "description": "Report"}
    value.update(changes)
    return {"value": value}


APPROVED_BY_LEGAL = {"state": "approved", "reviewer": "legal@example.com"}


def _amendment(key: str, effective: str, **changes: Any) -> dict[str, Any]:
    return {
        "key": key,
        "title": f"Amendment {key}",
        "effective_date": effective,
        "review": APPROVED_BY_LEGAL,
        **changes,
    }


# ---- term_end ----


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param(
            {
                "effective_date": _tracked("2025-02-01"),
                "initial_term": _tracked({"months": 36}),
                "expiration_date": _tracked("2028-01-31"),
            },
            date(2028, 1, 31),
            id="explicit-expiration-wins",
        ),
        pytest.param(
            {"effective_date": _tracked("2025-01-31"), "initial_term": _tracked({"months": 1})},
            date(2025, 2, 27),
            id="last-day-before-the-clamped-anniversary",
        ),
        pytest.param(
            {"effective_date": _tracked("2025-03-01"), "initial_term": _tracked({"days": 90})},
            date(2025, 5, 29),
            id="ninety-days-counting-the-first",
        ),
        pytest.param(
            {
                "effective_date": _tracked("2026-06-01"),
                "initial_term": _tracked({"months": 12}),
                "expiration_date": _tracked("perpetual"),
            },
            None,
            id="perpetual-has-no-end",
        ),
        pytest.param({"effective_date": _tracked("2025-01-01")}, None, id="no-term"),
        pytest.param({"initial_term": _tracked({"months": 12})}, None, id="no-start"),
        pytest.param({}, None, id="nothing-known"),
    ],
)
def test_term_end(fields: dict[str, Any], expected: date | None) -> None:
    assert _contract(**fields).term_end() == expected


@pytest.mark.parametrize(
    ("expiration", "perpetual"),
    [
        pytest.param("perpetual", True, id="perpetual"),
        pytest.param("2027-03-31", False, id="dated"),
        pytest.param(None, False, id="unknown"),
    ],
)
def test_is_perpetual(expiration: str | None, perpetual: bool) -> None:
    fields = {"expiration_date": _tracked(expiration)} if expiration else {}
    assert _contract(**fields).is_perpetual() is perpetual


# ---- current_term_end and renewal_notice_deadline ----


def _renewing(**changes: Any) -> Contract:
    """Ends 2028-01-31, renews for 12 months, notice 90 days (the Northwind example)."""
    fields: dict[str, Any] = {
        "effective_date": _tracked("2025-02-01"),
        "initial_term": _tracked({"months": 36}),
        "expiration_date": _tracked("2028-01-31"),
        "auto_renew": _tracked(True),
        "renewal_term": _tracked({"months": 12}),
        "renewal_notice_period": _tracked({"days": 90}),
    }
    fields.update(changes)
    return _contract(**fields)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        pytest.param(date(2025, 6, 1), date(2028, 1, 31), id="during-initial-term"),
        pytest.param(date(2028, 1, 31), date(2028, 1, 31), id="last-day-of-initial-term"),
        pytest.param(date(2028, 2, 1), date(2029, 1, 31), id="first-day-of-renewal"),
        pytest.param(date(2031, 6, 15), date(2032, 1, 31), id="several-renewals-later"),
    ],
)
def test_current_term_end_rolls_auto_renewals_forward(today: date, expected: date) -> None:
    assert _renewing().current_term_end(today) == expected


def test_current_term_end_renews_for_the_initial_term_without_a_renewal_term() -> None:
    contract = _renewing(renewal_term=None, initial_term=_tracked({"months": 6}))
    assert contract.current_term_end(date(2028, 3, 1)) == date(2028, 7, 31)


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"auto_renew": _tracked(False)}, id="no-auto-renew"),
        pytest.param({"auto_renew": None}, id="auto-renew-unknown"),
        pytest.param({"renewal_term": None, "initial_term": None}, id="no-renewal-length"),
    ],
)
def test_current_term_end_without_renewal_is_the_term_end(changes: dict[str, Any]) -> None:
    assert _renewing(**changes).current_term_end(date(2031, 1, 1)) == date(2028, 1, 31)


def test_current_term_end_is_none_without_an_end() -> None:
    contract = _renewing(expiration_date=_tracked("perpetual"))
    assert contract.current_term_end(date(2031, 1, 1)) is None
    assert contract.renewal_notice_deadline(date(2031, 1, 1)) is None


@pytest.mark.parametrize(
    ("expiration", "renewal", "today", "expected"),
    [
        pytest.param("2025-01-31", {"months": 1}, date(2025, 4, 15), date(2025, 4, 30), id="m"),
        pytest.param("2024-02-29", {"months": 12}, date(2028, 1, 1), date(2028, 2, 29), id="y"),
    ],
)
def test_current_term_end_does_not_drift_after_month_end_clamping(
    expiration: str, renewal: dict[str, int], today: date, expected: date
) -> None:
    contract = _contract(
        expiration_date=_tracked(expiration),
        auto_renew=_tracked(True),
        renewal_term=_tracked(renewal),
    )
    assert contract.current_term_end(today) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        pytest.param(None, date(2027, 11, 2), id="initial-term"),
        pytest.param(date(2027, 1, 1), date(2027, 11, 2), id="during-initial-term"),
        pytest.param(date(2028, 3, 1), date(2028, 11, 2), id="during-first-renewal"),
    ],
)
def test_renewal_notice_deadline(today: date | None, expected: date) -> None:
    assert _renewing().renewal_notice_deadline(today) == expected


def test_renewal_notice_deadline_counts_months_back_with_clamping() -> None:
    contract = _renewing(renewal_notice_period=_tracked({"months": 3}), expiration_date=None)
    # 36 months from 2025-02-01 run through 2028-01-31; three months earlier is 2027-10-31.
    assert contract.renewal_notice_deadline() == date(2027, 10, 31)


def test_renewal_notice_deadline_needs_a_notice_period_and_an_end() -> None:
    assert _renewing(renewal_notice_period=None).renewal_notice_deadline() is None
    assert _contract(renewal_notice_period=_tracked({"days": 30})).renewal_notice_deadline() is None


# ---- current_terms: amendments ----


def _amended() -> Contract:
    """A record with two amendments listed out of effective order, both changing the fee."""
    return _contract(
        documents=[_document(SIGNED_SHA, "signed.txt"), _document(AMENDMENT_SHA, "a.txt")],
        annual_value=_tracked(
            {"amount": "180000", "currency": "GBP"},
            provenance={"source": "person:x", "evidence": _evidence(SIGNED_SHA)},
            review={"state": "approved", "reviewer": "x"},
        ),
        renewal_notice_period=_tracked({"days": 90}),
        amendments=[
            _amendment(
                "A2",
                "2027-01-01",
                changes={"annual_value": {"amount": "200000", "currency": "GBP"}},
            ),
            _amendment(
                "A1",
                "2026-03-01",
                document_sha256=AMENDMENT_SHA,
                changes={
                    "annual_value": {"amount": "195000", "currency": "GBP"},
                    "renewal_notice_period": {"days": 60},
                },
            ),
        ],
    )


@pytest.mark.parametrize(
    ("on", "fee", "notice"),
    [
        pytest.param(None, Decimal(200000), Duration(days=60), id="all-amendments"),
        pytest.param(date(2026, 2, 28), Decimal(180000), Duration(days=90), id="before-any"),
        pytest.param(date(2026, 3, 1), Decimal(195000), Duration(days=60), id="on-effective-day"),
        pytest.param(date(2026, 12, 31), Decimal(195000), Duration(days=60), id="between"),
        pytest.param(date(2027, 1, 1), Decimal(200000), Duration(days=60), id="after-both"),
    ],
)
def test_current_terms_apply_amendments_in_effective_order(
    on: date | None, fee: Decimal, notice: Duration
) -> None:
    terms = _amended().current_terms(on)
    assert terms.annual_value is not None
    assert terms.annual_value.value.amount == fee
    assert terms.renewal_notice_period is not None
    assert terms.renewal_notice_period.value == notice


def test_current_terms_track_amended_values_to_the_amendment() -> None:
    base = _amended()
    terms = base.current_terms(date(2026, 6, 1))
    assert terms.annual_value is not None
    assert terms.annual_value.provenance is not None
    assert terms.annual_value.provenance.source == "amendment:A1"
    assert terms.annual_value.review.state is ReviewState.APPROVED
    assert terms.annual_value.review.reviewer == "legal@example.com"
    # The record itself is unchanged, and unamended fields keep their own tracking.
    assert base.annual_value is not None
    assert base.annual_value.value.amount == Decimal(180000)
    assert terms.amendments == base.amendments
    assert terms.title == base.title


def test_an_unreviewed_amendment_applies_but_is_not_trusted() -> None:
    contract = _contract(
        annual_value=_tracked({"amount": "180000", "currency": "GBP"}),
        amendments=[
            {
                "key": "A9",
                "title": "Read by a machine",
                "effective_date": "2026-01-01",
                "changes": {"annual_value": {"amount": "1", "currency": "GBP"}},
            }
        ],
    )
    terms = contract.current_terms(date(2026, 6, 1))
    assert terms.annual_value is not None
    assert terms.annual_value.value.amount == Decimal(1)
    assert terms.annual_value.review.state is ReviewState.PENDING
    assert not terms.annual_value.trusted


def test_current_terms_name_the_amendment_as_the_source() -> None:
    terms = _amended().current_terms(date(2026, 6, 1))
    assert terms.annual_value is not None
    assert terms.annual_value.provenance is not None
    assert terms.annual_value.provenance.source.startswith("amendment:")
    assert terms.annual_value.trusted


def test_current_terms_replace_obligations_as_a_whole() -> None:
    contract = _contract(
        obligations=[_obligation("OB-1"), _obligation("OB-2")],
        amendments=[
            _amendment("A1", "2026-01-01", changes={"obligations": [_obligation("OB-3")]}),
        ],
    )
    keys = [o.value.key for o in contract.current_terms(date(2026, 1, 1)).obligations]
    assert keys == ["OB-3"]
    assert [o.value.key for o in contract.current_terms(date(2025, 12, 31)).obligations] == [
        "OB-1",
        "OB-2",
    ]


def test_current_terms_with_invalid_change_raise_model_error() -> None:
    contract = _contract(
        effective_date=_tracked("2025-01-01"),
        amendments=[_amendment("A1", "2026-01-01", changes={"expiration_date": "2024-01-01"})],
    )
    with pytest.raises(ModelError, match="contract 'C-1' amendments is not a valid contract"):
        contract.current_terms()


def test_amendment_changing_an_unknown_field_is_refused_with_the_record() -> None:
    with pytest.raises(ModelError, match="anual_value"):
        _contract(
            amendments=[
                _amendment(
                    "A1", "2026-01-01", changes={"anual_value": {"amount": "1", "currency": "GBP"}}
                )
            ]
        )


# ---- with_changes ----


def test_with_changes_revalidates_the_whole_record() -> None:
    contract = _renewing()
    changed = contract.with_changes({"renewal_notice_period": _tracked({"days": 30})})
    assert changed.renewal_notice_deadline() == date(2028, 1, 1)
    assert contract.renewal_notice_deadline() == date(2027, 11, 2)
    with pytest.raises(ModelError, match="expiration_date 2024-01-01 is before effective_date"):
        contract.with_changes({"expiration_date": _tracked("2024-01-01")})


# ---- cross-field validation ----


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param(
            {"obligations": [_obligation("OB-1"), _obligation("OB-2"), _obligation("OB-1")]},
            "obligation key(s) repeated: OB-1; each must be unique",
            id="duplicate-obligation-keys",
        ),
        pytest.param(
            {"amendments": [_amendment("A1", "2026-01-01"), _amendment("A1", "2027-01-01")]},
            "amendment key(s) repeated: A1",
            id="duplicate-amendment-keys",
        ),
        pytest.param(
            {"documents": [_document(SIGNED_SHA, "a.txt"), _document(SIGNED_SHA, "b.txt")]},
            f"document key(s) repeated: {SIGNED_SHA}",
            id="duplicate-documents",
        ),
        pytest.param(
            {
                "documents": [_document(SIGNED_SHA, "a.txt")],
                "effective_date": _tracked(
                    "2025-01-01", provenance={"source": "x", "evidence": _evidence(OTHER_SHA)}
                ),
            },
            "evidence for 'effective_date' cites document 333333333333…, which is not among "
            "the contract's documents; add it under 'documents'",
            id="evidence-cites-unknown-document",
        ),
        pytest.param(
            {
                "obligations": [
                    {
                        **_obligation("OB-1"),
                        "provenance": {"source": "x", "evidence": _evidence(OTHER_SHA)},
                    }
                ]
            },
            "evidence for 'obligations[OB-1]' cites document 333333333333…",
            id="obligation-evidence-cites-unknown-document",
        ),
        pytest.param(
            {
                "effective_date": _tracked("2025-02-01"),
                "expiration_date": _tracked("2025-01-31"),
            },
            "expiration_date 2025-01-31 is before effective_date 2025-02-01",
            id="expiration-before-effective",
        ),
        pytest.param(
            {
                "documents": [_document(SIGNED_SHA, "a.txt")],
                "amendments": [_amendment("A1", "2026-01-01", document_sha256=OTHER_SHA)],
            },
            "amendment 'A1' cites a document that is not among the contract's documents",
            id="amendment-cites-unknown-document",
        ),
        pytest.param(
            {
                "obligations": [
                    _obligation(
                        "OB-1",
                        due_date="2025-06-01",
                        recurrence={"every": {"months": 1}, "starts": "2025-01-01"},
                    )
                ]
            },
            "obligation 'OB-1' has both a due date and a recurrence; keep one",
            id="obligation-with-two-schedules",
        ),
        pytest.param(
            {"status": "archived"},
            "status: Input should be 'draft', 'in_review'",
            id="unknown-status",
        ),
    ],
)
def test_invalid_records_are_refused(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ModelError, match=re.escape(message)) as raised:
        _contract(**fields)
    assert raised.value.code == "invalid_record"
    assert raised.value.source == "test record"


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param(
            {"effective_date": _tracked("2025-02-01"), "expiration_date": _tracked("2025-02-01")},
            id="one-day-contract",
        ),
        pytest.param(
            {"effective_date": _tracked("2025-02-01"), "expiration_date": _tracked("perpetual")},
            id="perpetual",
        ),
        pytest.param(
            {
                "documents": [_document(SIGNED_SHA, "a.txt")],
                "effective_date": _tracked(
                    "2025-01-01", provenance={"source": "x", "evidence": _evidence(SIGNED_SHA)}
                ),
                "amendments": [_amendment("A1", "2026-01-01", document_sha256=SIGNED_SHA)],
            },
            id="cites-listed-document",
        ),
    ],
)
def test_consistent_records_are_accepted(fields: dict[str, Any]) -> None:
    assert _contract(**fields).contract_key == "C-1"


def test_provenances_list_fields_and_obligations() -> None:
    provenance = {"source": "rules/1.0", "evidence": _evidence(SIGNED_SHA)}
    contract = _contract(
        documents=[_document(SIGNED_SHA, "a.txt")],
        effective_date=_tracked("2025-01-01", provenance=provenance),
        auto_renew=_tracked(True),
        obligations=[{**_obligation("OB-1"), "provenance": provenance}, _obligation("OB-2")],
    )
    assert [name for name, _ in contract.provenances()] == ["effective_date", "obligations[OB-1]"]


# ---- parse_record ----


def test_parse_record_names_the_field_path_of_the_first_problem() -> None:
    with pytest.raises(ModelError) as raised:
        Contract.parse_record(
            _record(
                effective_date=_tracked("not a date"),
                total_value=_tracked({"amount": "1", "currency": "XYZ"}),
                auto_renew=_tracked("perhaps"),
            ),
            source="contracts/c-1.yaml",
        )
    error = raised.value
    assert str(error).startswith(
        "contracts/c-1.yaml is not a valid contract record: effective_date.value: "
    )
    assert str(error).endswith("(and 2 more problems)")
    assert [problem.split(":")[0] for problem in error.problems] == [
        "effective_date.value",
        "auto_renew.value",
        "total_value.value.currency",
    ]
    assert "'XYZ' is not an ISO 4217 currency code" in error.problems[2]
    assert error.source == "contracts/c-1.yaml"


def test_parse_record_counts_a_single_extra_problem() -> None:
    with pytest.raises(ModelError, match=r"title: .* \(and 1 more problem\)$"):
        Contract.parse_record({"contract_key": "C-1", "title": "", "region": 5}, source="x")


def test_parse_record_names_unknown_fields() -> None:
    with pytest.raises(ModelError, match="renewal_notice: Extra inputs are not permitted"):
        Contract.parse_record(_record(renewal_notice={"value": {"days": 30}}), source="x")


def test_parse_record_names_nested_obligation_fields() -> None:
    with pytest.raises(ModelError, match=r"obligations\.0\.value\.kind: Input should be"):
        Contract.parse_record(_record(obligations=[_obligation("OB-1", kind="chore")]), source="x")


def test_parse_record_reports_whole_record_problems_as_record() -> None:
    with pytest.raises(ModelError, match=r"is not a valid contract record: record: Value error"):
        Contract.parse_record(
            _record(obligations=[_obligation("OB-1"), _obligation("OB-1")]), source="x"
        )


def test_parse_record_refuses_non_mappings() -> None:
    with pytest.raises(ModelError, match="x is not a valid contract record: record: "):
        Contract.parse_record(["not", "a", "mapping"], source="x")


# ---- JSON round trip ----


def _full_record() -> dict[str, Any]:
    approved = {"state": "approved", "reviewer": "legal@x.example", "at": "2025-01-27T09:30:00Z"}
    provenance = {
        "source": "rules/1.2",
        "confidence": 0.93,
        "evidence": _evidence(SIGNED_SHA),
        "recorded_at": "2025-01-20T08:00:00+02:00",
    }
    return _record(
        contract_type="subscription",
        status="active",
        account={"key": "ACC-1", "name": "Northwind", "domain": "northwind.example"},
        owners={"legal": {"email": "legal@x.example"}, "finance": {"email": "ar@x.example"}},
        region="EMEA",
        documents=[
            _document(SIGNED_SHA, "signed.txt"),
            _document(AMENDMENT_SHA, "a.txt", "amendment"),
        ],
        parties=_tracked(
            [{"name": "Contoso", "role": "vendor", "is_us": True}, {"name": "Northwind"}],
            provenance=provenance,
            review=approved,
        ),
        effective_date=_tracked("2025-02-01", review=approved),
        expiration_date=_tracked("2028-01-31"),
        initial_term=_tracked({"months": 36}),
        auto_renew=_tracked(True),
        renewal_notice_period=_tracked({"days": 90}),
        termination_for_convenience=_tracked({"allowed": True, "notice": {"days": 60}}),
        total_value=_tracked({"amount": "540000.50", "currency": "GBP"}),
        payment_terms_days=_tracked(30),
        billing_frequency=_tracked("annual"),
        price_escalator=_tracked({"index": "CPI", "cap_percent": "5"}),
        governing_law=_tracked({"country": "GB", "subdivision": "GB-ENG", "text": "England"}),
        obligations=[
            _obligation(
                "OB-1",
                recurrence={"every": {"months": 1}, "starts": "2025-02-28"},
                service_level={"metric": "availability", "target": "99.9", "unit": "percent"},
                remedy={"description": "credit", "credit_percent": "10"},
            ),
        ],
        amendments=[
            _amendment(
                "A1",
                "2026-03-01",
                document_sha256=AMENDMENT_SHA,
                changes={"renewal_notice_period": {"days": 60}},
            )
        ],
    )


def test_json_round_trip_of_a_full_record() -> None:
    contract = Contract.model_validate(_full_record())
    assert Contract.model_validate(contract.model_dump(mode="json")) == contract
    assert Contract.model_validate_json(contract.model_dump_json()) == contract
    dumped = contract.model_dump(mode="json")
    assert dumped["initial_term"]["value"] == {"months": 36}
    assert dumped["total_value"]["value"] == {"amount": "540000.50", "currency": "GBP"}
    assert dumped["parties"]["provenance"]["recorded_at"] == "2025-01-20T06:00:00Z"


aware_datetimes = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001 - bounds for aware datetimes
    max_value=datetime(2100, 1, 1),  # noqa: DTZ001
    timezones=st.integers(-23 * 60, 23 * 60).map(lambda m: timezone(timedelta(minutes=m))),
)
json_dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
durations = st.one_of(
    st.integers(1, 1200).map(lambda n: Duration(months=n)),
    st.integers(1, 36600).map(lambda n: Duration(days=n)),
    st.tuples(st.integers(1, 1200), st.integers(1, 36600)).map(
        lambda p: Duration(months=p[0], days=p[1])
    ),
)
amounts = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, places=2
)


@st.composite
def records(draw: st.DrawFn) -> Contract:
    effective = draw(json_dates)
    expiration: date | str = draw(
        st.one_of(
            st.just("perpetual"),
            st.integers(0, 20000).map(lambda n: effective + timedelta(days=n)),
        )
    )
    reviewer = draw(st.none() | st.text(min_size=1, max_size=20))
    state = draw(st.sampled_from(ReviewState))
    if state in {ReviewState.APPROVED, ReviewState.EDITED, ReviewState.REJECTED} and not reviewer:
        reviewer = "someone"
    review = {"state": state, "reviewer": reviewer, "at": draw(st.none() | aware_datetimes)}
    return Contract(
        contract_key=draw(st.from_regex(KEY_PATTERN, fullmatch=True)),
        title=draw(st.text(min_size=1, max_size=255)),
        status=draw(st.sampled_from(LifecycleStatus)),
        effective_date={"value": effective, "review": review},
        expiration_date={"value": expiration},
        initial_term={"value": draw(durations)},
        renewal_notice_period={"value": draw(durations)},
        auto_renew={"value": draw(st.booleans())},
        total_value={"value": {"amount": draw(amounts), "currency": "EUR"}},
        payment_terms_days={"value": draw(st.integers(0, 3650))},
    )


@given(contract=records())
def test_json_round_trip_gives_an_equal_record(contract: Contract) -> None:
    assert Contract.model_validate(contract.model_dump(mode="json")) == contract
    assert Contract.model_validate_json(contract.model_dump_json()) == contract


@given(contract=records())
def test_instants_are_stored_in_utc(contract: Contract) -> None:
    assert contract.effective_date is not None
    at = contract.effective_date.review.at
    assert at is None or at.tzinfo is UTC


def test_current_terms_carry_how_each_amended_value_was_read() -> None:
    read = {"source": "rules/3", "confidence": 0.62, "evidence": _evidence(AMENDMENT_SHA)}
    contract = _contract(
        documents=[_document(AMENDMENT_SHA, "a.txt")],
        amendments=[
            _amendment(
                "A1",
                "2026-01-01",
                changes={"renewal_notice_period": {"days": 90}},
                provenance={"renewal_notice_period": read},
            )
        ],
    )
    terms = contract.current_terms(date(2026, 6, 1))
    assert terms.renewal_notice_period is not None
    provenance = terms.renewal_notice_period.provenance
    assert provenance is not None
    assert provenance.source == "amendment:A1"  # the amendment stays the source
    assert provenance.confidence == 0.62  # not the 1.0 of a value nobody doubted
    assert provenance.evidence is not None
    assert provenance.evidence.document_sha256 == AMENDMENT_SHA


def test_provenance_for_a_field_the_amendment_does_not_change_is_refused() -> None:
    with pytest.raises(ModelError, match="annual_value, which the amendment does not change"):
        _contract(
            amendments=[
                _amendment(
                    "A1",
                    "2026-01-01",
                    changes={"renewal_notice_period": {"days": 90}},
                    provenance={"annual_value": {"source": "rules/3"}},
                )
            ]
        )
