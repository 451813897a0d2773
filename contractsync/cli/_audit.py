"""``contractsync audit …``: read and verify the hash-chained audit log."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from contractsync.audit import verify_audit_log
from contractsync.errors import AuditError

from ._render import audit_table
from ._state import state

audit_app = typer.Typer(help="The append-only, hash-chained audit log.", no_args_is_help=True)


@audit_app.command("verify")
def verify(ctx: typer.Context) -> None:
    """Check every entry's hash and link; name the first broken entry and exit 1 if any."""
    cli = state(ctx)
    report = verify_audit_log(cli.app().database)
    if not report.ok:
        raise AuditError(
            f"Audit log broken at entry #{report.broken_seq}: {report.problem}. "
            f"{report.entries_checked} entries before it verified.",
            seq=report.broken_seq,
        )
    cli.console.print(f"Audit log verified: {report.entries_checked} entries, chain intact.")


@audit_app.command("log")
def show_log(
    ctx: typer.Context,
    entity: Annotated[
        str | None, typer.Option(help="Only entries about this contract key (or entity).")
    ] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many entries.", min=1)] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
) -> None:
    """Show audit entries, oldest first."""
    cli = state(ctx)
    entries = cli.app().audit.entries(entity_key=entity)[-limit:]
    if as_json:
        for entry in entries:
            typer.echo(
                json.dumps(
                    {
                        "seq": entry.seq,
                        "at": entry.at.isoformat(),
                        "actor": entry.actor,
                        "action": entry.action,
                        "entity_type": entry.entity_type,
                        "entity_key": entry.entity_key,
                        "details": entry.details,
                        "hash": entry.hash,
                    }
                )
            )
        return
    cli.console.print(audit_table(entries))
