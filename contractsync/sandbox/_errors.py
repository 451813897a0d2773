"""Salesforce error values and the two JSON shapes they travel in.

Single-resource REST errors are a JSON array of ``{"message","errorCode","fields"}``;
per-record results (collections) key the code as ``statusCode`` instead
(salesforce-api.md 3.1). One ``ApiError`` renders to either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["ApiError", "SalesforceError", "not_found"]


@dataclass(frozen=True, slots=True)
class ApiError:
    """One Salesforce error: its code, message and the fields it concerns."""

    code: str
    message: str
    fields: tuple[str, ...] = ()
    # Whether the REST array form carries "fields": some errors (NOT_FOUND,
    # INVALID_SESSION_ID, METHOD_NOT_ALLOWED) are documented without it.
    with_fields: bool = True

    def rest(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message, "errorCode": self.code}
        if self.with_fields:
            body["fields"] = list(self.fields)
        return body

    def per_record(self) -> dict[str, Any]:
        return {"statusCode": self.code, "message": self.message, "fields": list(self.fields)}


@dataclass(slots=True)
class SalesforceError(Exception):
    """A request that Salesforce would refuse with ``status`` and these errors."""

    status: int
    errors: list[ApiError] = field(default_factory=list)

    @classmethod
    def of(
        cls, status: int, code: str, message: str, fields: tuple[str, ...] = (), **kw: bool
    ) -> SalesforceError:
        return cls(status, [ApiError(code, message, fields, **kw)])

    @property
    def first(self) -> ApiError:
        return self.errors[0]

    def rest_body(self) -> list[dict[str, Any]]:
        return [e.rest() for e in self.errors]

    def __str__(self) -> str:
        return f"{self.status} {self.first.code}: {self.first.message}"


def not_found(message: str = "The requested resource does not exist") -> SalesforceError:
    """The 404 every unknown object, record or resource gets (salesforce-api.md 2.3, 3.2)."""
    return SalesforceError.of(404, "NOT_FOUND", message, with_fields=False)
