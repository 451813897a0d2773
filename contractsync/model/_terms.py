"""The structured terms a contract carries: parties, law, pricing, obligations, amendments."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, Literal, Self

import pycountry
from pydantic import Field, JsonValue, field_validator, model_validator

from ._values import Duration, Frozen, Money, Provenance, Review, shift

KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$"
"""Stable keys (contract, obligation, amendment): safe in URLs, CSV and Salesforce text fields."""

Key = Annotated[str, Field(pattern=KEY_PATTERN)]


class PartyRole(StrEnum):
    CUSTOMER = "customer"
    VENDOR = "vendor"
    LICENSOR = "licensor"
    LICENSEE = "licensee"
    SUPPLIER = "supplier"
    DISTRIBUTOR = "distributor"
    RESELLER = "reseller"
    PARTNER = "partner"
    SPONSOR = "sponsor"
    CONSULTANT = "consultant"
    EMPLOYER = "employer"
    OTHER = "other"


class Party(Frozen):
    """A party to the contract as named in it."""

    name: Annotated[str, Field(min_length=1, max_length=255)]
    role: PartyRole = PartyRole.OTHER
    is_us: bool = False
    """True for the party that is our own company (the one running contractsync)."""

    def __str__(self) -> str:
        return f"{self.name} ({self.role.value})"


class AccountRef(Frozen):
    """The customer or counterparty account the contract belongs to in the CRM."""

    key: Key
    name: Annotated[str, Field(min_length=1, max_length=255)]
    domain: str | None = None


class OwnerRole(StrEnum):
    ACCOUNT_MANAGER = "account_manager"
    LEGAL = "legal"
    FINANCE = "finance"
    OPERATIONS = "operations"


class Owner(Frozen):
    """A person responsible for the contract in one role, found in Salesforce by email."""

    email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    name: str | None = None


class GoverningLaw(Frozen):
    """Governing law as ISO 3166 codes plus the words of the contract.

    ``country`` is ISO 3166-1 alpha-2 (``US``); ``subdivision`` is ISO 3166-2 (``US-NV``,
    ``CA-ON``, ``GB-ENG``) and must belong to the country.
    """

    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    subdivision: str | None = None
    text: str = ""

    def __str__(self) -> str:
        code = self.subdivision or self.country
        return f"{code} ({self.text})" if self.text else code

    @field_validator("country")
    @classmethod
    def _known_country(cls, code: str) -> str:
        if pycountry.countries.get(alpha_2=code) is None:
            raise ValueError(f"'{code}' is not an ISO 3166-1 alpha-2 country code (e.g. US, GB)")
        return code

    @model_validator(mode="after")
    def _subdivision_of_country(self) -> Self:
        if self.subdivision is None:
            return self
        if not self.subdivision.startswith(f"{self.country}-"):
            raise ValueError(
                f"subdivision '{self.subdivision}' is not in country '{self.country}'; "
                f"use a code like '{self.country}-XX'"
            )
        if self.subdivision not in _subdivision_codes():
            raise ValueError(f"'{self.subdivision}' is not an ISO 3166-2 subdivision code")
        return self


@cache
def _subdivision_codes() -> frozenset[str]:
    return frozenset(subdivision.code for subdivision in pycountry.subdivisions)


class BillingFrequency(StrEnum):
    ONE_TIME = "one_time"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMI_ANNUAL = "semi_annual"
    ANNUAL = "annual"
    MILESTONE = "milestone"
    USAGE = "usage"


class PriceEscalator(Frozen):
    """A price increase: a fixed percent, an index (CPI ...), or the index with a cap."""

    percent: Annotated[Decimal, Field(ge=0, le=1000)] | None = None
    index: str | None = None
    cap_percent: Annotated[Decimal, Field(ge=0, le=1000)] | None = None
    every: Duration = Duration(months=12)

    def __str__(self) -> str:
        rule = " + ".join(
            part
            for part in (
                self.index,
                f"{self.percent}%" if self.percent is not None else None,
            )
            if part
        )
        cap = f", capped at {self.cap_percent}%" if self.cap_percent is not None else ""
        return f"{rule}{cap} every {self.every}"

    @model_validator(mode="after")
    def _has_a_rule(self) -> Self:
        if self.percent is None and self.index is None:
            raise ValueError("a price escalator needs a percent, an index (e.g. CPI), or both")
        return self


class TerminationForConvenience(Frozen):
    """Whether a party may end the contract without cause, and on what notice."""

    allowed: bool
    notice: Duration | None = None
    by: Literal["either", "customer", "vendor", "us", "counterparty"] = "either"

    def __str__(self) -> str:
        if not self.allowed:
            return "not allowed"
        notice = f" on {self.notice} notice" if self.notice else ""
        return f"{self.by} party{notice}" if self.by == "either" else f"{self.by}{notice}"


class ObligationKind(StrEnum):
    DELIVERABLE = "deliverable"
    SERVICE_LEVEL = "service_level"
    PAYMENT = "payment"
    REPORTING = "reporting"
    INSURANCE = "insurance"
    COMPLIANCE = "compliance"
    AUDIT = "audit"
    OTHER = "other"


class Recurrence(Frozen):
    """A repeating due date: every ``every`` from ``starts``, until ``until`` if given."""

    every: Duration
    starts: date
    until: date | None = None

    def occurrences(self, *, through: date) -> list[date]:
        """Due dates from ``starts`` up to and including ``through`` (and ``until``)."""
        last = min(through, self.until) if self.until else through
        dates: list[date] = []
        step = 0
        due = self.starts
        while due <= last:
            dates.append(due)
            step += 1
            due = shift(self.starts, months=self.every.months * step, days=self.every.days * step)
        return dates


class ServiceLevel(Frozen):
    """A measurable service level: metric, target and unit (``uptime`` ≥ 99.9 ``percent``)."""

    metric: Annotated[str, Field(min_length=1)]
    target: Decimal
    unit: str
    comparison: Literal["at_least", "at_most"] = "at_least"


class Remedy(Frozen):
    """What happens when an obligation is missed: a penalty or a service credit."""

    description: str
    credit_percent: Annotated[Decimal, Field(ge=0, le=100)] | None = None
    amount: Money | None = None


class Obligation(Frozen):
    """Something a party must do: deliver, meet a service level, pay, report."""

    key: Key
    kind: ObligationKind
    description: Annotated[str, Field(min_length=1)]
    obligor: Literal["us", "counterparty", "both"] = "us"
    due_date: date | None = None
    recurrence: Recurrence | None = None
    owner_role: OwnerRole = OwnerRole.OPERATIONS
    service_level: ServiceLevel | None = None
    remedy: Remedy | None = None
    amount: Money | None = None

    @model_validator(mode="after")
    def _one_schedule(self) -> Self:
        if self.due_date is not None and self.recurrence is not None:
            raise ValueError(
                f"obligation '{self.key}' has both a due date and a recurrence; keep one"
            )
        return self


class DocumentRole(StrEnum):
    ORIGINAL = "original"
    SIGNED = "signed"
    AMENDMENT = "amendment"
    ATTACHMENT = "attachment"


class DocumentRef(Frozen):
    """A document of the contract, stored once by the SHA-256 of its bytes."""

    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    name: Annotated[str, Field(min_length=1, max_length=255)]
    media_type: str
    size_bytes: Annotated[int, Field(ge=0)]
    pages: Annotated[int, Field(ge=0)] = 0
    role: DocumentRole = DocumentRole.ORIGINAL


class Amendment(Frozen):
    """A change to the terms from a date on, with the document that made it.

    ``changes`` holds the new values of the canonical fields it changes, in the same JSON
    form the contract record uses; the current terms are the base plus the amendments in
    order of ``effective_date``.
    """

    key: Key
    title: str
    effective_date: date
    document_sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None = None
    summary: str = ""
    changes: dict[str, JsonValue] = Field(default_factory=dict)
    review: Review = Review()
    """The review of the changes as a whole: amended values are delivered only once a person
    (or the gate) has approved the amendment, like any other value."""
    provenance: dict[str, Provenance] = Field(default_factory=dict)
    """How each change was read (extractor, confidence, evidence in the amendment's
    document), so an amended value can be checked like any other."""

    @field_validator("changes")
    @classmethod
    def _field_names(cls, changes: dict[str, Any]) -> dict[str, Any]:
        for name in changes:
            if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
                raise ValueError(f"'{name}' is not a canonical field name (snake_case)")
        return changes

    @model_validator(mode="after")
    def _provenance_of_changes(self) -> Self:
        if unknown := sorted(set(self.provenance) - set(self.changes)):
            raise ValueError(
                f"provenance is given for {', '.join(unknown)}, which the amendment does not "
                "change; give provenance only for fields in 'changes'"
            )
        return self
