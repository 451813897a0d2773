"""``contractsync workflows …``: see durable work and finish what a crash interrupted."""

from __future__ import annotations

import typer
from rich.table import Table

import contractsync.ingest  # noqa: F401 - registers the workflows that may need recovery
from contractsync.durable import (
    WorkflowSummary,
    durable_engine,
    finish_recovered_workflows,
    recent_workflows,
)

from ._state import state

workflows_app = typer.Typer(help="Durable workflows (DBOS).", no_args_is_help=True)


@workflows_app.command("recover")
def recover(ctx: typer.Context) -> None:
    """Resume every workflow a crash interrupted and wait until they finish."""
    cli = state(ctx)
    app = cli.app()
    with durable_engine(app) as launched_at:
        finished = finish_recovered_workflows(launched_at=launched_at)
    if not finished:
        cli.console.print("No interrupted workflows.")
        return
    cli.console.print(_table("recovered workflows", finished))


@workflows_app.command("list")
def list_workflows(ctx: typer.Context) -> None:
    """The most recent workflows and their status."""
    cli = state(ctx)
    app = cli.app()
    with durable_engine(app):
        cli.console.print(_table("recent workflows", recent_workflows()))


def _table(title: str, workflows: list[WorkflowSummary]) -> Table:
    table = Table(title=title)
    for column in ("id", "workflow", "status", "started (UTC)", "error"):
        table.add_column(column)
    for workflow in workflows:
        table.add_row(
            workflow.workflow_id,
            workflow.name,
            workflow.status,
            f"{workflow.created_at:%Y-%m-%d %H:%M:%S}" if workflow.created_at else "",
            workflow.error or "",
        )
    return table
