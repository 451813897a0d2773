"""``contractsync reconcile`` and ``contractsync inbound``: changes made in Salesforce.

Mounted by the root command (``_app.py``)::

    app.command("reconcile")(reconcile)
    app.add_typer(inbound_app, name="inbound")
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.table import Table

from contractsync.errors import SyncError
from contractsync.store import DISMISSED, InboundRepository
from contractsync.sync import ReconcileReport, org_registry, poll_inbound
from contractsync.sync import reconcile as reconcile_org

from ._state import state


class PolicyChoice(StrEnum):
    RESTORE = "restore"
    ACCEPT = "accept"


def reconcile(
    ctx: typer.Context,
    *,
    org: Annotated[str, typer.Option(help="The org to check.")],
    policy: Annotated[
        PolicyChoice | None,
        typer.Option(
            help="restore: write contractsync's values back; accept: take Salesforce's. "
            "Default: each field's inbound policy in the mapping (none: restore)."
        ),
    ] = None,
    contract: Annotated[
        list[str] | None, typer.Option("--contract", help="Only this contract (repeat).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report the drift and the decisions; change nothing.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Compare the org's records with what contractsync last wrote, field by field, and
    restore, accept or park every difference (records deleted in the org too)."""
    cli = state(ctx)
    app = cli.app()
    org_registry(app).settings_for(org)
    report = reconcile_org(
        app,
        org,
        policy=policy.value if policy else None,
        dry_run=dry_run,
        contract_keys=contract,
    )
    if as_json:
        typer.echo(json.dumps(_report_json(report), indent=2, default=str))
    else:
        _print_report(cli, report)
    failed = [f for f in report.findings if f.outcome.startswith("not ")]
    if failed and not dry_run:
        raise SyncError(
            f"{len(failed)} drifted field(s) in org '{org}' could not be reconciled; see the "
            f"report above, then run again: contractsync reconcile --org {org}"
        )


inbound_app = typer.Typer(
    help="Changes made in Salesforce flowing back into the contracts.",
    invoke_without_command=True,
)


@inbound_app.callback()
def inbound(
    ctx: typer.Context,
    org: Annotated[
        list[str] | None, typer.Option("--org", help="Only this org (repeat for several).")
    ] = None,
) -> None:
    """Read what changed in each org since the last poll and apply it by each field's
    conflict policy (fields marked ``inbound`` in the mapping)."""
    if ctx.invoked_subcommand is not None:
        return
    cli = state(ctx)
    app = cli.app()
    registry = org_registry(app)
    for name in org or registry.names():
        registry.settings_for(name)
        report = poll_inbound(app, name)
        table = Table(title=f"inbound: org '{name}'")
        for column in ("contract", "object", "key", "field", "contractsync", "salesforce",
                       "policy", "outcome"):  # fmt: skip
            table.add_column(column, overflow="fold")
        for change in report.changes:
            table.add_row(
                change.contract_key, change.sobject, change.key, change.field,
                _show(change.ours), _show(change.theirs), change.policy, change.outcome,
            )  # fmt: skip
        if report.changes:
            cli.console.print(table)
        applied = sum(1 for change in report.changes if change.outcome == "applied")
        cli.console.print(
            f"Org '{name}': {report.read} changed record(s) read, {report.echoes} were "
            f"contractsync's own writes; {applied} change(s) applied, "
            f"{len(report.changes) - applied} kept or parked.",
            highlight=False,
        )


@inbound_app.command("pending")
def inbound_pending(
    ctx: typer.Context,
    org: Annotated[str | None, typer.Option(help="Only this org.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Changes made in Salesforce that wait for a person to decide."""
    cli = state(ctx)
    app = cli.app()
    changes = InboundRepository(app.database, app.audit).pending(org=org)
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {"id": c.id, "org": c.org, "sobject": c.sobject, "key": c.external_key,
                     "contract_key": c.contract_key, "field": c.field, "path": c.path,
                     "salesforce": c.salesforce_value, "contractsync": c.contractsync_value,
                     "policy": c.policy, "reason": c.reason, "changed_at": c.changed_at}
                    for c in changes
                ],
                indent=2,
                default=str,
            )
        )  # fmt: skip
        return
    table = Table(title=f"{len(changes)} pending change(s)")
    for column in ("#", "org", "contract", "object", "key", "field", "contractsync",
                   "salesforce", "why"):  # fmt: skip
        table.add_column(column, overflow="fold")
    for c in changes:
        table.add_row(
            str(c.id), c.org, c.contract_key, c.sobject, c.external_key, c.field,
            _show(c.contractsync_value), _show(c.salesforce_value), c.reason,
        )  # fmt: skip
    cli.console.print(table)


@inbound_app.command("dismiss")
def inbound_dismiss(
    ctx: typer.Context,
    change_id: Annotated[int, typer.Argument()],
    reason: Annotated[str, typer.Option(help="Why (kept in the audit log).")],
) -> None:
    """Close a pending change without applying it (the next reconcile restores
    contractsync's value, or edit the contract to take Salesforce's)."""
    cli = state(ctx)
    app = cli.app()
    InboundRepository(app.database, app.audit).resolve(
        change_id, status=DISMISSED, actor=app.actor, note=reason
    )
    cli.console.print(f"Pending change #{change_id} dismissed.")


def _print_report(cli: Any, report: ReconcileReport) -> None:
    title = f"{'dry run: ' if report.dry_run else ''}drift in org '{report.org}'"
    table = Table(title=title)
    for column in ("contract", "object", "key", "field", "contractsync", "salesforce",
                   "decision", "outcome"):  # fmt: skip
        table.add_column(column, overflow="fold")
    for f in report.findings:
        table.add_row(
            f.contract_key, f.sobject, f.key, f.field, _show(f.ours), _show(f.theirs),
            f.decision, f.outcome,
        )  # fmt: skip
    if report.findings:
        cli.console.print(table)
    cli.console.print(
        f"Org '{report.org}': {report.checked} record(s) checked, {report.drifted_records} "
        f"drifted, {len(report.findings)} difference(s).",
        highlight=False,
    )


def _report_json(report: ReconcileReport) -> dict[str, Any]:
    return {
        "org": report.org,
        "checked": report.checked,
        "dry_run": report.dry_run,
        "findings": [
            {"contract_key": f.contract_key, "sobject": f.sobject, "key": f.key,
             "field": f.field, "contractsync": f.ours, "salesforce": f.theirs,
             "decision": f.decision, "outcome": f.outcome}
            for f in report.findings
        ],
    }  # fmt: skip


def _show(value: Any) -> str:
    return json.dumps(value, default=str)
