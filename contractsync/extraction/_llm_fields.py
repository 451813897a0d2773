"""What the LLM extractor asks for, and how its answer becomes canonical values.

The answer is one JSON object with a ``{"value": …, "quote": …}`` entry per field, under a
schema valid for OpenAI's strict mode (every object lists all its properties as required
and allows no others; a missing value is ``null``). ``obligations`` is a list of such
entries, one per obligation, since each has its own evidence.

Every value goes through the normalisers the rules use and comes out in the shape the
rules give it, so reconciliation compares like with like: ``TerminationForConvenience``
(``by`` is ``either``, ``customer`` or ``vendor``: which side is "us" is the reviewer's
call), ``PriceEscalator`` (the index by its short name, ``CPI-U``; only a cap means the
cap is also the rise) and ``Obligation`` (keys ``sla-1``, ``payment-2`` …, the obligor
``both`` when each party is bound, else ``counterparty``). A value, or an obligation, with
any part the normalisers cannot read is dropped whole rather than proposed in part.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, TypeVar

from pydantic import ValidationError

from contractsync.model import (
    BillingFrequency,
    Obligation,
    ObligationKind,
    OwnerRole,
    Party,
    PartyRole,
    PriceEscalator,
    ServiceLevel,
    TerminationForConvenience,
)

from ._dates import parse_date
from ._durations import parse_duration
from ._jurisdiction import resolve_jurisdiction
from ._money import parse_money
from ._numbers import parse_int, parse_number
from ._rules_escalator import read_escalator
from ._text import squash

T = TypeVar("T")

TEXT_FIELDS = (
    "agreement_date", "effective_date", "signed_date", "expiration_date", "initial_term",
    "auto_renew",
    "renewal_term", "renewal_notice_period", "payment_terms_days", "billing_frequency",
    "total_value", "annual_value", "governing_law",
)  # fmt: skip
INSTRUCTIONS = (
    "You read contracts and report their terms. For each field give the value as written "
    "in the contract (dates as YYYY-MM-DD, durations like '12 months' or '30 days', money "
    "with its currency, the expiration date or 'perpetual', percents as numbers: 3 for 3%) "
    "and a verbatim quote of the sentence it comes from. Use null when the contract does "
    "not state the field. List each obligation (deliverable, service level, payment, "
    "report ...) with its own quote."
)
MAX_OBLIGATIONS = 30
_BY: dict[str, Literal["either", "customer", "vendor"]] = {
    "either": "either", "customer": "customer", "vendor": "vendor",
}  # fmt: skip
_COMPARISONS: dict[str, Literal["at_least", "at_most"]] = {
    "at_least": "at_least", "at_most": "at_most",
}  # fmt: skip
_MAX_PERCENT = Decimal(100)  # as the rules read escalators
_UNITS = ("percent", "minutes", "hours", "business_hours", "days", "business_days")
_KEY_PREFIX = {ObligationKind.SERVICE_LEVEL: "sla"}
# As ``_rules_obligations`` reads the obligor: both when the sentence binds each party.
_BOTH_PARTIES = re.compile(r"\b(?:each|either|both)\s+part(?:y|ies)\b", re.IGNORECASE)
_TRUTH = {"true": True, "yes": True, "false": False, "no": False}
_STRING_OR_NULL = {"type": ["string", "null"]}
_NUMBER_OR_NULL = {"type": ["number", "null"]}


@dataclass(frozen=True, slots=True)
class Proposal:
    """One normalised value from the answer, with the quote to find as its evidence."""

    field: str
    value: Any
    quote: str


def response_schema() -> dict[str, Any]:
    """The JSON schema the model's answer must follow (valid for strict mode)."""
    termination = _object(
        allowed={"type": "boolean", "description": "whether the party may terminate"},
        notice={**_STRING_OR_NULL, "description": "notice required, like '60 days'"},
        by={"type": "string", "enum": list(_BY), "description": "who may terminate"},
    )
    escalator = _object(
        percent={**_NUMBER_OR_NULL, "description": "the fixed rise, 3 for 3%"},
        cap_percent={**_NUMBER_OR_NULL, "description": "the most it may rise, 5 for 5%"},
        index={**_STRING_OR_NULL, "description": "the price index followed, like 'CPI-U'"},
        every={**_STRING_OR_NULL, "description": "how often, like '12 months'"},
    )
    service_level = _object(
        metric={"type": "string", "description": "availability, uptime, response_time ..."},
        target={"type": "number"},
        unit={"type": "string", "enum": list(_UNITS)},
        comparison={"type": "string", "enum": list(_COMPARISONS)},
    )
    obligation = _object(
        kind={"type": "string", "enum": [kind.value for kind in ObligationKind]},
        description={"type": "string"},
        due_date={**_STRING_OR_NULL, "description": "YYYY-MM-DD"},
        amount={**_STRING_OR_NULL, "description": "money with its currency"},
        service_level=_nullable(service_level),
    )
    parties = _object(
        value={"type": "array", "items": _object(name={"type": "string"},
                                                 role={"type": "string"})},
        quote=_STRING_OR_NULL,
    )  # fmt: skip
    text = _entry({"type": ["string", "boolean", "number", "null"]})
    properties: dict[str, Any] = dict.fromkeys(TEXT_FIELDS, text)
    properties["parties"] = parties
    properties["termination_for_convenience"] = _entry(_nullable(termination))
    properties["price_escalator"] = _entry(_nullable(escalator))
    properties["obligations"] = {"type": "array", "items": _entry(obligation)}
    return _object(**properties)


def read_answer(answer: Mapping[str, Any]) -> Iterator[Proposal]:
    """Every value of the answer the normalisers can read, in the canonical types."""
    for field in (*TEXT_FIELDS, "parties", "termination_for_convenience", "price_escalator"):
        entry = answer.get(field)
        if not isinstance(entry, dict) or not isinstance(entry.get("quote"), str):
            continue
        if entry.get("value") in (None, "", []):
            continue
        value = _whole_or_none(_normalise, field, entry["value"])
        if value is not None:
            yield Proposal(field, value, entry["quote"])
    entries = answer.get("obligations")
    numbers: Counter[ObligationKind] = Counter()
    for entry in entries[:MAX_OBLIGATIONS] if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("quote"), str):
            continue
        obligation = _whole_or_none(_obligation, entry.get("value"), entry["quote"], numbers)
        if obligation is not None:
            yield Proposal("obligations", obligation, entry["quote"])


class _UnreadableError(Exception):
    """A part of a value the normalisers cannot read: the whole value is dropped."""


def _whole_or_none(read: Callable[..., T | None], *args: Any) -> T | None:
    try:
        return read(*args)
    except (_UnreadableError, ValidationError):
        return None


def _part(raw: Mapping[str, Any], key: str, parse: Callable[[Any], T | None]) -> T | None:
    """``raw[key]`` read by ``parse``: None when the model gave none, or ``_UnreadableError``."""
    given = raw.get(key)
    if given is None or given == "":
        return None
    value = parse(given)
    if value is None:
        raise _UnreadableError(key)
    return value


def _text(parse: Callable[[str], T | None]) -> Callable[[Any], T | None]:
    return lambda given: parse(str(given).strip())


def _normalise(field: str, raw: Any) -> Any:
    if field == "parties":
        return _parties(raw)
    if field == "termination_for_convenience":
        return _termination(raw)
    if field == "price_escalator":
        return _escalator(raw)
    text = str(raw).strip()
    if field in {"agreement_date", "effective_date", "signed_date"}:
        return parse_date(text)
    if field == "expiration_date":
        return "perpetual" if text.casefold() == "perpetual" else parse_date(text)
    if field in {"initial_term", "renewal_term", "renewal_notice_period"}:
        return parse_duration(text)
    if field == "auto_renew":
        return _boolean(raw)
    if field == "payment_terms_days":
        return parse_int(text)
    if field == "billing_frequency":
        key = text.casefold().replace("-", "_").replace(" ", "_")
        return BillingFrequency(key) if key in BillingFrequency.__members__.values() else None
    if field in {"total_value", "annual_value"}:
        return parse_money(text)
    if field == "governing_law":
        return resolve_jurisdiction(text)
    return None


def _parties(raw: Any) -> tuple[Party, ...] | None:
    parties = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, dict) and str(item.get("name", "")).strip():
            role = str(item.get("role", "other")).casefold()
            role = role if role in PartyRole.__members__.values() else "other"
            parties.append(Party(name=str(item["name"]).strip()[:255], role=PartyRole(role)))
    return tuple(parties) or None


def _termination(raw: Any) -> TerminationForConvenience | None:
    if not isinstance(raw, dict):
        return None
    allowed = _boolean(raw.get("allowed"))
    by = _BY.get(str(raw.get("by")).strip().casefold())
    if allowed is None or by is None:
        return None
    # Notice matters only when termination is allowed; the rules never read one otherwise.
    notice = _part(raw, "notice", _text(parse_duration)) if allowed else None
    return TerminationForConvenience(allowed=allowed, notice=notice, by=by)


def _escalator(raw: Any) -> PriceEscalator | None:
    if not isinstance(raw, dict):
        return None
    # A zero is no rise and no cap, as the rules skip it.
    percent = _part(raw, "percent", _percent) if raw.get("percent") != 0 else None
    cap = _part(raw, "cap_percent", _percent) if raw.get("cap_percent") != 0 else None
    index = _part(raw, "index", _text(_index))
    every = _part(raw, "every", _text(parse_duration))
    if percent is None and index is None:
        percent = cap  # "by up to 5%": the rules read it as 5% with a 5% cap
    if percent is None and index is None:
        return None
    often: dict[str, Any] = {"every": every} if every is not None else {}
    return PriceEscalator(percent=percent, index=index, cap_percent=cap, **often)


def _index(words: str) -> str | None:
    """The index's short name as the escalator rule reads it: ``Consumer Price Index`` → CPI.

    That rule reads abbreviations only in capitals (``PPI`` may be a company's initials),
    so ``cpi-u`` from the model is read again in capitals.
    """
    for written in (words, words.upper()):
        named = read_escalator(written)
        if named is not None and named.index is not None:
            return named.index
    return None


def _percent(raw: Any) -> Decimal | None:
    number = _decimal(raw)
    return number if number is not None and 0 < number <= _MAX_PERCENT else None


def _obligation(raw: Any, quote: str, numbers: Counter[ObligationKind]) -> Obligation | None:
    if not isinstance(raw, dict) or raw.get("kind") not in ObligationKind.__members__.values():
        return None
    kind = ObligationKind(raw["kind"])
    prefix = _KEY_PREFIX.get(kind, kind.value.replace("_", "-"))
    obligation = Obligation(
        key=f"{prefix}-{numbers[kind] + 1}",
        kind=kind,
        description=(squash(str(raw.get("description") or "")) or squash(quote))[:300],
        obligor="both" if _BOTH_PARTIES.search(quote) else "counterparty",
        owner_role=OwnerRole.FINANCE if kind is ObligationKind.PAYMENT else OwnerRole.OPERATIONS,
        due_date=_part(raw, "due_date", _text(parse_date)),
        service_level=_part(raw, "service_level", _service_level),
        amount=_part(raw, "amount", _text(parse_money)),
    )
    numbers[kind] += 1
    return obligation


def _service_level(raw: Any) -> ServiceLevel | None:
    if not isinstance(raw, dict):
        return None
    metric = re.sub(r"[\s-]+", "_", str(raw.get("metric") or "").strip().casefold())
    unit = str(raw.get("unit")).strip().casefold().replace("%", "percent")
    target = _decimal(raw.get("target"))
    comparison = _COMPARISONS.get(str(raw.get("comparison", "at_least")))
    if not metric or unit not in _UNITS or target is None or target <= 0 or comparison is None:
        return None
    return ServiceLevel(metric=metric, target=target, unit=unit, comparison=comparison)


def _decimal(raw: Any) -> Decimal | None:
    """A number from JSON or from words, written as the rules write it: ``5``, ``2.5``."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        number = Decimal(str(raw)) if math.isfinite(raw) else None
    elif isinstance(raw, str):
        number = parse_number(raw)
    else:
        return None
    if number is None:
        return None
    # 5.0 from the model is the rules' 5: equal values must compare equal.
    number = number.normalize()
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number


def _boolean(raw: Any) -> bool | None:
    if isinstance(raw, bool):
        return raw
    return _TRUTH.get(raw.strip().casefold()) if isinstance(raw, str) else None


def _object(**properties: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _entry(value: dict[str, Any]) -> dict[str, Any]:
    return _object(value=value, quote=_STRING_OR_NULL)


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}
