"""What the SOQL engine needs from the sandbox org: its describe metadata and its records.

The server implements these over its store; tests implement them over plain data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol


class FieldInfo(Protocol):
    """One field of an sObject's describe, as the engine reads it."""

    # Read-only properties, so frozen dataclasses (the server's FieldDef) and plain
    # mutable test doubles both satisfy the protocol.
    @property
    def name(self) -> str:
        """Canonical case."""

    @property
    def type(self) -> str:
        """Salesforce describe type: id, string, picklist, reference, date, datetime ..."""

    @property
    def reference_to(self) -> tuple[str, ...]: ...

    @property
    def relationship_name(self) -> str | None: ...


class SchemaView(Protocol):
    """Case-insensitive lookups into the org's describe metadata."""

    def object_name(self, name: str) -> str | None: ...

    def field(self, sobject: str, name: str) -> FieldInfo | None: ...

    def fields(self, sobject: str) -> Sequence[FieldInfo]: ...

    def parent_relationship(
        self, sobject: str, relationship_name: str
    ) -> tuple[FieldInfo, str] | None: ...

    def child_relationship(
        self, sobject: str, relationship_name: str
    ) -> tuple[str, FieldInfo] | None: ...


class RecordSource(Protocol):
    """Stored records keyed by canonical field names, values in their JSON form."""

    def scan(self, sobject: str, *, include_deleted: bool) -> Iterable[Mapping[str, Any]]: ...

    def get(self, sobject: str, record_id: str) -> Mapping[str, Any] | None: ...
