"""Lookups of existing records as a desired record carries them to delivery.

A ``LookupRef`` is what one record wants in one reference field: the record of an sObject
whose fields have these (normalised) values, with the rules for ties and misses. It is
plain data; ``contractsync.sync`` resolves it against the org.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._desired import DesiredRecord

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")


def normalize_domain(value: str) -> str:
    """The host of a URL or domain, lower-cased, without ``www.``, port, path or scheme:
    ``https://www.Acme.com/en/`` → ``acme.com``. Account.Website holds all of these forms."""
    text = _SCHEME.sub("", value.strip().lower())
    host = re.split(r"[/?#]", text, maxsplit=1)[0]
    host = host.rsplit("@", 1)[-1].split(":", 1)[0].rstrip(".")
    return host.removeprefix("www.")


def normalize_value(value: str, compare: str) -> str:
    """A match value as it is compared: by host (``domain``), or trimmed and case-folded
    (``exact``: SOQL's ``=`` and ``IN`` ignore case too)."""
    return normalize_domain(value) if compare == "domain" else value.strip().casefold()


@dataclass(frozen=True, slots=True)
class LookupRef:
    """The existing record one reference field should point at."""

    sobject: str
    match: tuple[tuple[str, str], ...] | None
    """(field, normalised value) pairs; None when the contract has no value to match."""
    compare: str
    ties: str
    missing: str
    create: DesiredRecord | None = None
    """The record created and used when nothing matches (``missing: create``)."""

    def describe_match(self) -> str:
        """``Website = acme.com`` for messages."""
        if self.match is None:
            return "(no value)"
        return " and ".join(f"{name} = {value}" for name, value in self.match)

    def identity(self) -> dict[str, Any]:
        """What decides the lookup's result, for the record's fingerprint."""
        return {
            "sobject": self.sobject,
            "match": [list(pair) for pair in self.match] if self.match else None,
            "compare": self.compare,
            "ties": self.ties,
            "missing": self.missing,
            "create": [self.create.sobject, self.create.key] if self.create else None,
        }
