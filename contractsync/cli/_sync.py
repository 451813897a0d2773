"""``contractsync sync``, ``dlq``, ``mapping`` and ``orgs``: delivering to Salesforce."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from contractsync.durable import durable_engine, finish_recovered_workflows
from contractsync.errors import MappingError, SyncError
from contractsync.sync import (
    OrgRegistry,
    Plan,
    choose_channel,
    contracts_for,
    mapping_problems,
    org_registry,
    plan_org,
    quarantine_message,
    queued_runs,
    replay_dead_letters,
    start_sync,
)

from ._state import state

sync_app = typer.Typer(help="Deliver contracts to Salesforce orgs.", invoke_without_command=True)
dlq_app = typer.Typer(
    help="Records an org refused: inspect, replay, discard.", no_args_is_help=True
)
mapping_app = typer.Typer(
    help="Mappings from contracts to Salesforce objects.", no_args_is_help=True
)
orgs_app = typer.Typer(help="The Salesforce orgs contractsync delivers to.", no_args_is_help=True)

OrgOption = Annotated[
    list[str] | None, typer.Option("--org", help="Only this org (repeat for several).")
]
ContractOption = Annotated[
    list[str] | None, typer.Option("--contract", help="Only this contract (repeat for several).")
]


@sync_app.callback()
def sync(
    ctx: typer.Context,
    org: OrgOption = None,
    contract: ContractOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change and the calls; write nothing.")
    ] = False,
) -> None:
    """Bring every routed org up to date with the canonical contracts."""
    if ctx.invoked_subcommand is not None:
        return
    cli = state(ctx)
    app = cli.app()
    registry = org_registry(app)
    orgs = org or registry.names()
    today = datetime.now(UTC).date()
    for name in orgs:
        registry.settings_for(name)
    if dry_run:
        for name in orgs:
            stored = contracts_for(app, registry, name, contract)
            plan = plan_org(app, registry, name, stored, today=today)
            _print_plan(cli, name, plan, bulk_threshold=registry.settings_for(name).bulk_threshold)
        return
    failures = quarantined = 0
    with durable_engine(app) as launched_at:
        finish_recovered_workflows(launched_at=launched_at)
        for name in orgs:
            summary = _sync_with_progress(cli, name, contract, today=today, actor=app.actor)
            if not summary.get("already_done"):
                delivered = summary["delivered"]
                failures += delivered["dead_letters"] + delivered["deferred"]
                quarantined += len(summary.get("quarantined", []))
            _print_summary(cli, name, summary)
    if failures:
        raise SyncError(
            f"{failures} record(s) were not delivered; see them with: contractsync dlq list"
        )
    if quarantined:
        raise SyncError(
            f"{quarantined} field(s) were quarantined: the records went without them. Fix the "
            "org or the mapping, then sync again: contractsync mapping check"
        )


def _sync_with_progress(
    cli: Any, org: str, contract: list[str] | None, *, today: Any, actor: str
) -> dict[str, Any]:
    """Run one org's sync with a progress bar of the records it has handled."""
    with Progress(
        TextColumn(f"[bold]{org}[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=cli.console,
        transient=True,
    ) as progress:
        task = progress.add_task("records", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        return start_sync(org, contract, today=today, actor=actor, on_progress=advance)


@sync_app.command("status")
def sync_status(ctx: typer.Context) -> None:
    """Recent runs, API usage against each org's allowance, and open dead letters."""
    cli = state(ctx)
    app = cli.app()
    registry = org_registry(app)
    table = Table(title="orgs")
    columns = (
        "org", "flow", "API usage", "queued", "runs in progress", "open dead letters", "last run"
    )  # fmt: skip
    queued = queued_runs(app, registry.names())
    for column in (*columns, "status"):
        table.add_column(column)
    for name in registry.names():
        recent = app.sync_runs.recent(org=name, limit=100)
        runs = recent[:1]
        in_progress = sum(1 for run in recent if run["status"] == "running")
        usage = "not contacted"
        try:
            limits = registry.client(name).fetch_limits().get("DailyApiRequests", {})
            usage = f"{limits['Max'] - limits['Remaining']}/{limits['Max']}"
        except SyncError as error:
            usage = f"unreachable ({error.code})"
        table.add_row(
            name,
            registry.settings_for(name).flow,
            usage,
            str(queued[name]),
            str(in_progress),
            str(app.dead_letters.count_open(name)),
            f"{runs[0]['started_at']:%Y-%m-%d %H:%M}" if runs else "never",
            runs[0]["status"] if runs else "",
        )
    cli.console.print(table)


@dlq_app.command("list")
def dlq_list(
    ctx: typer.Context,
    org: Annotated[str | None, typer.Option(help="Only this org.")] = None,
    include_resolved: Annotated[
        bool, typer.Option("--all", help="Also delivered and discarded.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Records an org refused, with the Salesforce error and the fields it named."""
    cli = state(ctx)
    letters = cli.app().dead_letters.list(org=org, status=None if include_resolved else "open")
    if as_json:
        typer.echo(json.dumps([_letter_json(letter) for letter in letters], indent=2, default=str))
        return
    table = Table(title=f"{len(letters)} dead letter(s)")
    for column in ("#", "org", "object", "key", "error", "fields", "message", "tries", "status"):
        table.add_column(column)
    for letter in letters:
        table.add_row(
            str(letter.id), letter.org, letter.sobject, letter.external_key, letter.error_code,
            ", ".join(letter.error_fields), letter.message, str(letter.attempts), letter.status,
        )  # fmt: skip
    cli.console.print(table)


@dlq_app.command("show")
def dlq_show(ctx: typer.Context, letter_id: Annotated[int, typer.Argument()]) -> None:
    """One dead letter in full: payload and every error."""
    typer.echo(
        json.dumps(
            _letter_json(state(ctx).app().dead_letters.get(letter_id)), indent=2, default=str
        )
    )


@dlq_app.command("discard")
def dlq_discard(
    ctx: typer.Context,
    letter_id: Annotated[int, typer.Argument()],
    reason: Annotated[str, typer.Option(help="Why it is dropped (kept in the audit log).")],
) -> None:
    """Give up on a record on purpose (audited)."""
    app = state(ctx).app()
    letter = app.dead_letters.discard(letter_id, actor=app.actor, reason=reason)
    state(ctx).console.print(f"Dead letter #{letter.id} discarded.")


@dlq_app.command("replay")
def dlq_replay(
    ctx: typer.Context, letter_id: Annotated[list[int] | None, typer.Argument()] = None
) -> None:
    """Deliver refused records again (after fixing the org or the data): their contracts are
    synced again, and a record that goes through closes its dead letter."""
    cli = state(ctx)
    app = cli.app()
    letters = [app.dead_letters.get(i) for i in letter_id] if letter_id else app.dead_letters.list()
    if not any(letter.status == "open" for letter in letters):
        cli.console.print("No open dead letters to replay.")
        return
    with durable_engine(app):
        report = replay_dead_letters(
            app, letter_id, today=datetime.now(UTC).date(), actor=app.actor
        )
    for name, summary in report.summaries.items():
        _print_summary(cli, name, summary)
    for error in report.errors.values():
        raise error
    if report.still_open:
        raise SyncError(
            f"Dead letter(s) {', '.join(map(str, report.still_open))} still refused; "
            "see contractsync dlq list"
        )


@mapping_app.command("check")
def mapping_check(
    ctx: typer.Context, org: Annotated[str, typer.Option(help="The org to check against.")]
) -> None:
    """Validate the org's mapping against its describe: every problem, with the fix."""
    cli = state(ctx)
    problems = mapping_problems(org_registry(cli.app()), org)
    if not problems:
        cli.console.print(f"Mapping of org '{org}' fits the org.")
        return
    for problem in problems:
        cli.console.print(f"- {problem}", highlight=False)
    raise MappingError(f"{len(problems)} problem(s) in the mapping of org '{org}'.")


@orgs_app.command("list")
def orgs_list(ctx: typer.Context) -> None:
    """The configured orgs (the local sandbox org when none is)."""
    cli = state(ctx)
    registry = OrgRegistry(cli.settings)
    table = Table(title="orgs")
    for column in ("org", "flow", "login", "mapping", "routing"):
        table.add_column(column)
    for name in registry.names():
        settings = registry.settings_for(name)
        table.add_row(
            name, settings.flow, settings.login_url or settings.instance_url or "(local)",
            str(settings.mapping or "default"),
            "; ".join(f"{k} in {v}" for k, v in settings.route.items()) or "all contracts",
        )  # fmt: skip
    cli.console.print(table)


@orgs_app.command("test")
def orgs_test(ctx: typer.Context, org: Annotated[str, typer.Argument()]) -> None:
    """Log in to an org and read its API usage."""
    cli = state(ctx)
    registry = OrgRegistry(cli.settings)
    try:
        limits = registry.client(org).fetch_limits().get("DailyApiRequests", {})
    finally:
        registry.close()
    cli.console.print(
        f"Org '{org}' answers: API usage {limits.get('Max', 0) - limits.get('Remaining', 0)}"
        f"/{limits.get('Max', '?')} today."
    )


def _print_plan(cli: Any, org: str, plan: Plan, *, bulk_threshold: int) -> None:
    table = Table(title=f"dry run: org '{org}'")
    for column in ("action", "object", "key", "changes"):
        table.add_column(column, overflow="fold")
    for write in plan.writes:
        changes = ", ".join(
            f"{change.field}: {_show(change.before)} → {_show(change.after)}"
            for change in write.changes
        )
        table.add_row(write.action.value, write.record.sobject, write.record.key, changes)
    for removal in plan.removals:
        table.add_row(
            removal.action.value, removal.confirmed.sobject, removal.confirmed.external_key, ""
        )
    cli.console.print(table)
    calls = 0
    for object_name, writes in plan.by_object():
        channel = choose_channel(len(writes), bulk_threshold=bulk_threshold)
        needed = len(writes) if channel.value == "rest" else math.ceil(len(writes) / 200)
        creates_in_two_steps = sum(
            1 for w in writes if w.action.value == "create" and _needs_second_step(w)
        )
        calls += needed + (math.ceil(creates_in_two_steps / 200) if creates_in_two_steps else 0)
        cli.console.print(
            f"{object_name}: {len(writes)} record(s) by {channel.value}", highlight=False
        )
    counts = plan.counts()
    cli.console.print(
        f"Org '{org}': {counts['create']} to create, {counts['update']} to update, "
        f"{counts['delete'] + counts['deactivate']} to remove, {counts['unchanged']} unchanged; "
        f"about {calls} write call(s).",
        highlight=False,
    )
    for conflict in plan.conflicts:
        cli.console.print(f"[yellow]conflict[/]: {conflict}", highlight=False)


def _show(value: Any) -> str:
    return json.dumps(value, default=str)


def _needs_second_step(write: Any) -> bool:
    record = write.record
    return any(
        record.fields.get(name) not in (None, value) for name, value in record.create_with.items()
    )


def _print_summary(cli: Any, org: str, summary: dict[str, Any]) -> None:
    if summary.get("already_done"):
        cli.console.print(
            f"Org '{org}' is up to date: run {summary['run_id']} delivered these contract "
            "versions already; nothing written.",
            highlight=False,
        )
        return
    delivered = summary["delivered"]
    cli.console.print(
        f"Org '{org}': {delivered['created']} created, {delivered['updated']} updated, "
        f"{summary['planned']['unchanged']} unchanged, {delivered['dead_letters']} refused, "
        f"{delivered['deferred']} deferred, {delivered['blocked']} waiting on a parent, "
        f"{summary.get('parked', 0)} parked; "
        f"{summary.get('calls', 0)} API call(s) ({summary['status']}, run {summary['run_id']}).",
        highlight=False,
    )
    if summary.get("parked"):
        cli.console.print(
            f"{summary['parked']} record(s) the org refused before, unchanged since, were not "
            "sent again: fix the cause, then contractsync dlq replay.",
            highlight=False,
        )
    for entry in summary.get("quarantined", []):
        cli.console.print(
            quarantine_message(org, entry["sobject"], entry["field"], entry["reason"]),
            highlight=False,
            markup=False,
        )


def _letter_json(letter: Any) -> dict[str, Any]:
    return {
        "id": letter.id, "org": letter.org, "sobject": letter.sobject, "key": letter.external_key,
        "contract_key": letter.contract_key, "error_code": letter.error_code,
        "message": letter.message, "fields": list(letter.error_fields),
        "errors": list(letter.errors),
        "payload": dict(letter.payload), "attempts": letter.attempts, "status": letter.status,
        "created_at": letter.created_at, "updated_at": letter.updated_at,
    }  # fmt: skip
