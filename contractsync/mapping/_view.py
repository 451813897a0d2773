"""The contract as mapping rules see it: plain values, approved ones only.

The view is built from the terms in force on a given day (amendments applied). A value
that is not yet approved in review is left out and listed as withheld, so nothing
uncertain reaches Salesforce; the rule's default, if any, applies instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel

from contractsync.model import Contract, Tracked, field_dictionary


@dataclass(frozen=True, slots=True)
class ContractView:
    values: dict[str, Any]
    withheld: dict[str, str] = field(default_factory=dict)
    """Field name → why it is left out (e.g. ``pending review``)."""


def contract_view(contract: Contract, *, today: date) -> ContractView:
    terms = contract.current_terms(today)
    values: dict[str, Any] = {
        "contract_key": terms.contract_key,
        "title": terms.title,
        "contract_type": terms.contract_type.value,
        "status": terms.status.value,
        "region": terms.region,
        "business_unit": terms.business_unit,
        "account": terms.account.model_dump() if terms.account else None,
        "owners": {role.value: owner.model_dump() for role, owner in terms.owners.items()},
        "documents": [document.model_dump() for document in terms.documents],
    }
    withheld: dict[str, str] = {}
    for spec in field_dictionary().fields:
        if spec.name == "obligations":
            continue
        tracked = getattr(terms, spec.name)
        if tracked is None:
            values[spec.name] = None
        elif tracked.trusted:
            values[spec.name] = tracked.value
        else:
            values[spec.name] = None
            withheld[spec.name] = f"{tracked.review.state.value} review"
    values["obligations"] = [
        _plain(obligation.value) for obligation in terms.obligations if obligation.trusted
    ]
    for obligation in terms.obligations:
        if not obligation.trusted:
            withheld[f"obligations[{obligation.value.key}]"] = (
                f"{obligation.review.state.value} review"
            )
    trusted = _only_trusted(terms, withheld)
    values["term_end"] = trusted.term_end()
    values["renewal_notice_deadline"] = trusted.renewal_notice_deadline()
    values["is_perpetual"] = trusted.is_perpetual()
    return ContractView(values, withheld)


def _only_trusted(terms: Contract, withheld: dict[str, str]) -> Contract:
    """The terms without withheld values, so derived dates never rest on unapproved ones."""
    cleared = {name: None for name in withheld if not name.startswith("obligations[")}
    return terms.model_copy(update=cleared) if cleared else terms


def _plain(model: BaseModel) -> dict[str, Any]:
    return {name: getattr(model, name) for name in type(model).model_fields}


def resolve(values: dict[str, Any], path: str) -> Any:
    """The value at a dotted path (``governing_law.subdivision``), or None when absent."""
    current: Any = values
    for part in path.split("."):
        if current is None:
            return None
        if isinstance(current, dict):
            current = current.get(part)
        elif isinstance(current, BaseModel) and part in type(current).model_fields:
            current = getattr(current, part)
        elif isinstance(current, Tracked):
            current = getattr(current.value, part, None)
        else:
            return None
    return current
