"""``contractsync contracts …``: list, show, history, load and move contracts."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from contractsync.durable import durable_engine, finish_recovered_workflows
from contractsync.errors import ConfigurationError, ContractSyncError
from contractsync.ingest import LoadOutcome, load_record_files
from contractsync.model import LifecycleStatus

from ._render import contract_panel, contracts_table, history_table
from ._state import state

contracts_app = typer.Typer(
    help="Canonical contract records: list, show, history, load, lifecycle moves.",
    no_args_is_help=True,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


@contracts_app.command("list")
def list_contracts(
    ctx: typer.Context,
    status: Annotated[
        LifecycleStatus | None, typer.Option(help="Only contracts in this lifecycle status.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List the contracts in the store with their status and key dates."""
    cli = state(ctx)
    stored = cli.app().contracts.all(status=status)
    if as_json:
        payload = [
            {"version": item.version, **item.contract.model_dump(mode="json")} for item in stored
        ]
        typer.echo(json.dumps(payload, indent=2))
        return
    cli.console.print(contracts_table(stored))


@contracts_app.command("show")
def show_contract(
    ctx: typer.Context,
    contract_key: Annotated[str, typer.Argument(help="The contract's key.")],
    version: Annotated[
        int | None, typer.Option(help="Show this version instead of the current one.", min=1)
    ] = None,
    as_signed: Annotated[
        bool,
        typer.Option("--as-signed", help="Show the terms without amendments applied."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Show one contract: its terms with review state and evidence, documents, amendments.

    The terms shown are those in force today: the base terms with every amendment that has
    taken effect applied in order (``--as-signed`` shows the base terms).
    """
    cli = state(ctx)
    app = cli.app()
    stored = app.contracts.get(contract_key)
    if version is not None and version != stored.version:
        contract = app.contracts.get_version(contract_key, version)
        stored = replace(stored, contract=contract, version=version)
    today = datetime.now(UTC).date()
    if not as_signed and stored.contract.amendments:
        stored = replace(stored, contract=stored.contract.current_terms(today))
    if as_json:
        typer.echo(stored.contract.model_dump_json(indent=2, exclude_none=True))
        return
    cli.console.print(contract_panel(stored, today=today))


@contracts_app.command("history")
def contract_history(
    ctx: typer.Context,
    contract_key: Annotated[str, typer.Argument(help="The contract's key.")],
    as_json: JsonOption = False,
) -> None:
    """Every version of a contract: when, by whom, why, and which fields changed."""
    cli = state(ctx)
    versions = cli.app().contracts.history(contract_key)
    if as_json:
        payload = [
            {
                "version": v.version,
                "at": v.created_at.isoformat(),
                "actor": v.actor,
                "reason": v.reason,
                "changed": list(v.changed_fields),
            }
            for v in versions
        ]
        typer.echo(json.dumps(payload, indent=2))
        return
    cli.console.print(history_table(contract_key, versions))


@contracts_app.command("load")
def load_contracts(
    ctx: typer.Context,
    paths: Annotated[
        list[Path], typer.Argument(help="Record files (.yaml) or folders holding them.")
    ],
) -> None:
    """Load canonical record files and their documents, as one durable workflow.

    Re-loading unchanged files changes nothing; an interrupted load resumes where it stopped
    the next time the engine starts.
    """
    cli = state(ctx)
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise ConfigurationError(
            f"{', '.join(missing)} does not exist. Give record files (.yaml) or folders."
        )
    app = cli.app()
    with durable_engine(app) as launched_at:
        finish_recovered_workflows(launched_at=launched_at)
        outcomes = load_record_files([str(path) for path in paths], app.actor)
    cli.console.print(_outcomes_table(outcomes))
    failed = [outcome for outcome in outcomes if outcome["action"] == "failed"]
    for outcome in failed:
        cli.console.print(f"[red]failed[/]: {outcome['message']}", highlight=False)
    if failed:
        raise ContractSyncError(
            f"{len(failed)} of {len(outcomes)} record file(s) failed to load; "
            "the others were loaded. Fix the files named above and load again."
        )


@contracts_app.command("transition")
def transition_contract(
    ctx: typer.Context,
    contract_key: Annotated[str, typer.Argument(help="The contract's key.")],
    status: Annotated[LifecycleStatus, typer.Argument(help="The status to move to.")],
    reason: Annotated[str, typer.Option(help="Why: kept in the history and the audit log.")],
    expected_version: Annotated[
        int | None,
        typer.Option(help="Refuse unless the contract is still at this version.", min=1),
    ] = None,
) -> None:
    """Move a contract along its lifecycle (draft → in_review → signed → active → …)."""
    cli = state(ctx)
    app = cli.app()
    current = app.contracts.get(contract_key)
    result = app.contracts.transition(
        contract_key,
        status,
        expected_version=expected_version or current.version,
        actor=app.actor,
        reason=reason,
    )
    if result.changed:
        moved = f"{current.contract.status} → {status}"
        cli.console.print(f"{contract_key}: {moved} (version {result.stored.version})")
    else:
        cli.console.print(f"{contract_key} is already {status}; nothing changed.")


def _outcomes_table(outcomes: list[LoadOutcome]) -> Table:
    table = Table(title="loaded records")
    for column in ("file", "contract", "result", "version", "note"):
        table.add_column(column, overflow="fold")
    styles = {"created": "green", "updated": "cyan", "unchanged": "dim", "failed": "red"}
    for outcome in outcomes:
        path = Path(outcome["path"])
        failed = outcome["action"] == "failed"
        table.add_row(
            f"{path.parent.name}/{path.name}",
            outcome["contract_key"] or "",
            f"[{styles[outcome['action']]}]{outcome['action']}[/]",
            str(outcome["version"] or ""),
            "see below" if failed else outcome["message"],
        )
    return table
