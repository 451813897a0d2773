"""Rich renderings of contracts, versions and audit entries for the terminal."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel
from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from contractsync.audit import AuditEntry
from contractsync.model import Contract, Tracked, field_dictionary
from contractsync.store import ContractVersion, StoredContract

_REVIEW_STYLE = {
    "auto_approved": "green",
    "approved": "green",
    "edited": "cyan",
    "pending": "yellow",
    "rejected": "red",
}


def contracts_table(stored: list[StoredContract]) -> Table:
    table = Table(title=f"{len(stored)} contract{'s' if len(stored) != 1 else ''}")
    for column in ("key", "title", "status", "account", "effective", "term ends", "version"):
        table.add_column(column)
    for item in stored:
        contract = item.contract
        table.add_row(
            contract.contract_key,
            contract.title,
            contract.status.value,
            contract.account.name if contract.account else "",
            _short(contract.effective_date),
            _term_end(contract),
            str(item.version),
        )
    return table


def contract_panel(stored: StoredContract, *, today: date) -> Panel:
    contract = stored.contract
    header = Table.grid(padding=(0, 2))
    header.add_column(style="bold")
    header.add_column()
    header.add_row("status", contract.status.value)
    header.add_row("type", contract.contract_type.value)
    if contract.account:
        header.add_row("account", f"{contract.account.name} ({contract.account.key})")
    for role, owner in contract.owners.items():
        header.add_row(f"owner: {role.value}", owner.email)
    header.add_row("term ends", _term_end(contract))
    deadline = contract.renewal_notice_deadline(today)
    if deadline is not None:
        header.add_row("renewal notice by", deadline.isoformat())
    header.add_row(
        "version",
        f"{stored.version} (updated {stored.updated_at:%Y-%m-%d %H:%M} by {stored.updated_by})",
    )

    terms = Table(title="terms", expand=True)
    for column in ("field", "value", "review", "confidence", "evidence"):
        terms.add_column(column)
    for spec in field_dictionary().fields:
        value = getattr(contract, spec.name, None)
        if spec.name == "obligations":
            continue
        if isinstance(value, Tracked):
            terms.add_row(spec.name, *_tracked_cells(value))
    for obligation in contract.obligations:
        terms.add_row(
            f"obligation {obligation.value.key}",
            f"{obligation.value.kind.value}: {obligation.value.description}",
            *_tracked_cells(obligation)[1:],
        )

    documents = Table(title="documents", expand=True)
    for column in ("name", "role", "type", "pages", "sha256"):
        documents.add_column(column)
    for document in contract.documents:
        documents.add_row(
            document.name,
            document.role.value,
            document.media_type,
            str(document.pages),
            document.sha256[:12],
        )
    parts: list[Any] = [header, terms]
    if contract.documents:
        parts.append(documents)
    if contract.amendments:
        amendments = Table(title="amendments", expand=True)
        for column in ("key", "effective", "changes"):
            amendments.add_column(column)
        for amendment in contract.amendments:
            amendments.add_row(
                amendment.key,
                amendment.effective_date.isoformat(),
                ", ".join(amendment.changes) or amendment.summary,
            )
        parts.append(amendments)
    return Panel(Group(*parts), title=f"{contract.contract_key} · {contract.title}")


def history_table(contract_key: str, versions: list[ContractVersion]) -> Table:
    """One row per version; the first lists no fields, since it set them all."""
    table = Table(title=f"history of {contract_key}")
    for column in ("version", "at (UTC)", "actor", "reason", "changed"):
        table.add_column(column)
    for version in versions:
        table.add_row(
            str(version.version),
            f"{version.created_at:%Y-%m-%d %H:%M:%S}",
            version.actor,
            version.reason,
            "(created)" if version.version == 1 else ", ".join(version.changed_fields),
        )
    return table


def audit_table(entries: list[AuditEntry]) -> Table:
    table = Table(title="audit log")
    for column in ("#", "at (UTC)", "actor", "action", "entity", "details"):
        table.add_column(column)
    for entry in entries:
        details = ", ".join(f"{key}={value}" for key, value in entry.details.items())
        table.add_row(
            str(entry.seq),
            f"{entry.at:%Y-%m-%d %H:%M:%S}",
            entry.actor,
            entry.action,
            f"{entry.entity_type} {entry.entity_key[:24]}",
            Text(details, overflow="ellipsis", no_wrap=True),
        )
    return table


def _tracked_cells(tracked: Tracked[Any]) -> tuple[str, Text, str, str]:
    provenance = tracked.provenance
    confidence = f"{provenance.confidence:.2f}" if provenance else ""
    evidence = ""
    if provenance and provenance.evidence:
        snippet = provenance.evidence.snippet
        snippet = snippet if len(snippet) <= 48 else snippet[:45] + "..."
        evidence = f"p{provenance.evidence.page}: “{snippet}”"
    elif provenance:
        evidence = provenance.source
    state = tracked.review.state.value
    return (
        _format_value(tracked.value),
        Text(state, style=_REVIEW_STYLE.get(state, "")),
        confidence,
        evidence,
    )


def _format_value(value: Any) -> str:
    if isinstance(value, tuple | list):
        return "; ".join(_format_value(item) for item in value)
    if isinstance(value, BaseModel):
        if type(value).__str__ is not BaseModel.__str__:
            return str(value)
        parts = value.model_dump(mode="json", exclude_none=True)
        return ", ".join(f"{key}={item}" for key, item in parts.items() if item not in ("", []))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _short(tracked: Tracked[Any] | None) -> str:
    return "" if tracked is None else _format_value(tracked.value)


def _term_end(contract: Contract) -> str:
    if contract.is_perpetual():
        return "perpetual"
    end = contract.term_end()
    return end.isoformat() if end else ""
