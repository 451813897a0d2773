"""The canonical contract record: one per contract, versioned by the store."""

from __future__ import annotations

from collections import Counter
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, Literal, Self

from pydantic import Field, TypeAdapter, ValidationError, model_validator

from contractsync.errors import ModelError

from ._fields import field_dictionary
from ._lifecycle import LifecycleStatus, check_transition
from ._terms import (
    AccountRef,
    Amendment,
    BillingFrequency,
    DocumentRef,
    GoverningLaw,
    Key,
    Obligation,
    Owner,
    OwnerRole,
    Party,
    PriceEscalator,
    TerminationForConvenience,
)
from ._values import Duration, Frozen, Money, Provenance, Tracked, shift

Perpetual = Literal["perpetual"]
Expiration = date | Perpetual


class ContractType(StrEnum):
    MASTER_SERVICES = "master_services"
    SUBSCRIPTION = "subscription"
    SERVICES = "services"
    LICENSE = "license"
    SUPPLY = "supply"
    DISTRIBUTION = "distribution"
    RESELLER = "reseller"
    PARTNERSHIP = "partnership"
    SPONSORSHIP = "sponsorship"
    MAINTENANCE = "maintenance"
    NDA = "nda"
    STATEMENT_OF_WORK = "statement_of_work"
    OTHER = "other"


class Contract(Frozen):
    """Everything contractsync knows about one contract, with evidence for each term.

    Identity and ownership are plain values set by people and systems; every term that can
    be read from a document is ``Tracked`` (value, provenance, review state).
    """

    contract_key: Key
    title: Annotated[str, Field(min_length=1, max_length=255)]
    contract_type: ContractType = ContractType.OTHER
    status: LifecycleStatus = LifecycleStatus.DRAFT
    account: AccountRef | None = None
    owners: dict[OwnerRole, Owner] = Field(default_factory=dict)
    region: str | None = None
    business_unit: str | None = None

    parties: Tracked[tuple[Party, ...]] | None = None
    agreement_date: Tracked[date] | None = None
    effective_date: Tracked[date] | None = None
    expiration_date: Tracked[Expiration] | None = None
    signed_date: Tracked[date] | None = None
    termination_date: Tracked[date] | None = None
    initial_term: Tracked[Duration] | None = None
    auto_renew: Tracked[bool] | None = None
    renewal_term: Tracked[Duration] | None = None
    renewal_notice_period: Tracked[Duration] | None = None
    termination_for_convenience: Tracked[TerminationForConvenience] | None = None
    total_value: Tracked[Money] | None = None
    annual_value: Tracked[Money] | None = None
    payment_terms_days: Tracked[Annotated[int, Field(ge=0, le=3650)]] | None = None
    billing_frequency: Tracked[BillingFrequency] | None = None
    price_escalator: Tracked[PriceEscalator] | None = None
    governing_law: Tracked[GoverningLaw] | None = None
    obligations: tuple[Tracked[Obligation], ...] = ()

    amendments: tuple[Amendment, ...] = ()
    documents: tuple[DocumentRef, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        _require_unique("obligation", [o.value.key for o in self.obligations])
        _require_unique("amendment", [a.key for a in self.amendments])
        _require_unique("document", [d.sha256 for d in self.documents])
        known = {d.sha256 for d in self.documents}
        for name, provenance in self.provenances():
            evidence = provenance.evidence
            if evidence is not None and evidence.document_sha256 not in known:
                raise ValueError(
                    f"evidence for '{name}' cites document {evidence.document_sha256[:12]}…, "
                    "which is not among the contract's documents; add it under 'documents'"
                )
        start, end = _value(self.effective_date), _value(self.expiration_date)
        if isinstance(start, date) and isinstance(end, date) and end < start:
            raise ValueError(f"expiration_date {end} is before effective_date {start}")
        for amendment in self.amendments:
            _check_changes(amendment)
            if amendment.document_sha256 and amendment.document_sha256 not in known:
                raise ValueError(
                    f"amendment '{amendment.key}' cites a document that is not among the "
                    "contract's documents; add it under 'documents'"
                )
        return self

    # ---- derived terms (pure functions of the record) ----

    def term_end(self) -> date | None:
        """The last day of the initial term.

        Inclusive, like ``expiration_date``, which already names that last day; otherwise
        the initial term's last day counted from the effective date ("36 months from
        1 February 2025" runs through 31 January 2028, see ``Duration.last_day``).
        """
        end = _value(self.expiration_date)
        if isinstance(end, date):
            return end
        start, term = _value(self.effective_date), _value(self.initial_term)
        if end is None and isinstance(start, date) and isinstance(term, Duration):
            return term.last_day(start)
        return None

    def current_term_end(self, today: date) -> date | None:
        """The last day of the term running on ``today``, rolling auto-renewals forward.

        Renewal ends are counted from the day after the initial term, not from each other,
        so month-end clamping cannot accumulate (Jan 31 → Feb 28 → Mar 31 → Apr 30).
        """
        end = self.term_end()
        renewal = _value(self.renewal_term) or _value(self.initial_term)
        if end is None or not _value(self.auto_renew) or not isinstance(renewal, Duration):
            return end
        anchor = shift(end, days=1)
        renewals = 0
        while end < today:
            renewals += 1
            end = shift(anchor, months=renewal.months * renewals, days=renewal.days * renewals - 1)
        return end

    def renewal_notice_deadline(self, today: date | None = None) -> date | None:
        """The last day to give notice to stop the next renewal.

        Without ``today``, for the initial term; with it, for the term running on that day.
        """
        notice = _value(self.renewal_notice_period)
        end = self.term_end() if today is None else self.current_term_end(today)
        if not isinstance(notice, Duration) or end is None:
            return None
        return notice.before(end)

    def is_perpetual(self) -> bool:
        return self.expiration_date is not None and self.expiration_date.value == "perpetual"

    # ---- changes ----

    def with_status(self, target: LifecycleStatus) -> Contract:
        """A copy in ``target`` status; raises ``LifecycleError`` if the move is illegal."""
        check_transition(self.status, target, contract_key=self.contract_key)
        return self.model_copy(update={"status": target})

    def with_changes(self, changes: dict[str, Any]) -> Contract:
        """A copy with fields replaced, re-validated as a whole (JSON-form values accepted)."""
        data = self.model_dump(mode="json")
        data.update(changes)
        return Contract.parse_record(data, source=f"contract '{self.contract_key}'")

    def current_terms(self, on: date | None = None) -> Contract:
        """The terms in force: this record with its amendments applied in effective order.

        Amendments effective after ``on`` (when given) are left out. Each amended value is
        tracked with the amendment (``amendment:<key>``) as its source, the confidence and
        evidence of its reading, and the amendment's review, so an unapproved amendment's
        values are not trusted yet.
        """
        data = self.model_dump(mode="json")
        for amendment in sorted(self.amendments, key=lambda a: (a.effective_date, a.key)):
            if on is not None and amendment.effective_date > on:
                continue
            for name, value in amendment.changes.items():
                if name == "obligations":
                    data[name] = value
                    continue
                read = amendment.provenance.get(name)
                # The source names the amendment; how sure the reading was and where it
                # stands in the amendment's document come from its own provenance.
                provenance: dict[str, Any] = {"source": f"amendment:{amendment.key}"}
                if read is not None:
                    provenance |= read.model_dump(mode="json", include={"confidence", "evidence"})
                data[name] = {
                    "value": value,
                    "provenance": provenance,
                    "review": amendment.review.model_dump(mode="json"),
                }
        return Contract.parse_record(data, source=f"contract '{self.contract_key}' amendments")

    def provenances(self) -> list[tuple[str, Provenance]]:
        """Every (field name, provenance) pair in the record, obligations included."""
        found: list[tuple[str, Provenance]] = []
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, Tracked) and value.provenance is not None:
                found.append((name, value.provenance))
        for obligation in self.obligations:
            if obligation.provenance is not None:
                found.append((f"obligations[{obligation.value.key}]", obligation.provenance))
        return found

    @classmethod
    def parse_record(cls, data: Any, *, source: str) -> Contract:
        """Validate a record from JSON/YAML data, turning errors into one clear ``ModelError``."""
        try:
            return cls.model_validate(data)
        except ValidationError as error:
            raise ModelError(
                f"{source} is not a valid contract record: {_describe(error)}",
                source=source,
                problems=[_location(e["loc"]) + ": " + e["msg"] for e in error.errors()],
            ) from None


_CHANGEABLE = frozenset(field_dictionary().names())


@cache
def _change_adapter(name: str) -> TypeAdapter[Any]:
    annotation = Contract.model_fields[name].annotation
    if annotation is None:  # every canonical field is annotated; keeps mypy exact
        raise ModelError(f"canonical field '{name}' has no type")
    return TypeAdapter(annotation)


def _check_changes(amendment: Amendment) -> None:
    """An amendment may only change canonical terms, to values of the right type."""
    for name, value in amendment.changes.items():
        if name not in _CHANGEABLE:
            raise ValueError(
                f"amendment '{amendment.key}' changes '{name}', which is not a canonical term; "
                f"use one of: {', '.join(sorted(_CHANGEABLE))}"
            )
        wrapped = value if name == "obligations" else {"value": value}
        try:
            _change_adapter(name).validate_python(wrapped)
        except ValidationError as error:
            raise ValueError(
                f"amendment '{amendment.key}' sets '{name}' to an invalid value: "
                f"{error.errors()[0]['msg']}"
            ) from None


def _value(tracked: Tracked[Any] | None) -> Any:
    return tracked.value if tracked is not None else None


def _require_unique(what: str, keys: list[str]) -> None:
    repeated = sorted(key for key, count in Counter(keys).items() if count > 1)
    if repeated:
        raise ValueError(f"{what} key(s) repeated: {', '.join(repeated)}; each must be unique")


def _location(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "record"


def _describe(error: ValidationError) -> str:
    problems = error.errors()
    first = problems[0]
    text = f"{_location(first['loc'])}: {first['msg']}"
    if len(problems) > 1:
        text += f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})"
    return text
