"""One result shape for every channel: REST, sObject collections and Bulk API 2.0.

Salesforce reports per-record outcomes three ways (REST error arrays with ``errorCode``,
collection SaveResults with ``statusCode``, Bulk CSV rows with ``sf__Error``); every
channel converts them into ``RecordResult`` so the sync engine handles one shape.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem Salesforce reported, with the fields it concerns."""

    code: str
    message: str
    fields: tuple[str, ...] = ()

    @classmethod
    def from_api(cls, error: Mapping[str, Any]) -> FieldError:
        """From a REST error (``errorCode``) or a per-record error (``statusCode``)."""
        code = error.get("errorCode") or error.get("statusCode") or "UNKNOWN_ERROR"
        return cls(
            code=str(code),
            message=str(error.get("message", "")),
            fields=tuple(str(name) for name in error.get("fields") or ()),
        )

    @classmethod
    def from_bulk(cls, text: str) -> FieldError:
        """From a Bulk API 2.0 ``sf__Error`` cell: ``STATUS_CODE:message:Field1,Field2 --``."""
        code, _, rest = text.partition(":")
        message, _, fields = rest.rstrip().removesuffix("--").rstrip().rpartition(":")
        if not message:  # no fields part: "CODE:message --"
            message, fields = fields, ""
        names = tuple(name.strip() for name in fields.split(",") if name.strip())
        return cls(code=code.strip() or "UNKNOWN_ERROR", message=message.strip(), fields=names)


@dataclass(frozen=True, slots=True)
class RecordResult:
    """What happened to one record: its key, Salesforce id, and errors if it failed."""

    key: str
    sf_id: str | None
    success: bool
    created: bool = False
    errors: tuple[FieldError, ...] = field(default_factory=tuple)

    @classmethod
    def failed(
        cls, key: str, errors: Sequence[FieldError], sf_id: str | None = None
    ) -> RecordResult:
        return cls(key=key, sf_id=sf_id, success=False, created=False, errors=tuple(errors))

    @property
    def error_codes(self) -> tuple[str, ...]:
        return tuple(error.code for error in self.errors)
