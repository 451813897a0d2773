"""``contractsync import PATH...``: read, extract and store contracts with their documents.

The lead mounts it on the root app:

    app.command("import")(import_contracts)
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from pydantic import SecretStr
from rich.progress import Progress
from rich.table import Table

from contractsync.durable import durable_engine, finish_recovered_workflows
from contractsync.errors import ConfigurationError, ContractSyncError
from contractsync.ingest import ImportOutcome, import_documents, import_files

from ._read_options import (
    DEFAULT_MAX_PAGES,
    DEFAULT_MAX_SIZE_MB,
    AskPasswordOption,
    MaxPagesOption,
    MaxSizeOption,
    PasswordOption,
    pdf_password,
    read_limits,
)
from ._state import state


def import_contracts(  # noqa: PLR0917 - Typer maps each parameter to an option
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(help="Contract documents (PDF, DOCX, text, HTML, scans) or folders."),
    ],
    password: PasswordOption = None,
    key_prefix: Annotated[
        str | None, typer.Option(help="Put in front of every new contract key.")
    ] = None,
    ask_password: AskPasswordOption = False,
    max_size_mb: MaxSizeOption = DEFAULT_MAX_SIZE_MB,
    max_pages: MaxPagesOption = DEFAULT_MAX_PAGES,
) -> None:
    """Import contract documents: extract their terms and store them as contracts.

    Each value keeps its evidence and confidence; critical terms and unsure values wait for
    review, the rest are auto-approved. Amendments attach to the contract they amend.
    Importing the same files again changes nothing; an interrupted import resumes where it
    stopped the next time the engine starts.
    """
    cli = state(ctx)
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise ConfigurationError(
            f"{', '.join(missing)} does not exist. Give contract documents or folders."
        )
    files = import_files([str(path) for path in paths])
    if not files:
        raise ConfigurationError(
            "No contract documents found (PDF, DOCX, TXT, HTML, PNG, JPEG, TIFF). "
            "Give the documents or the folders that hold them."
        )
    app = cli.app()
    password = pdf_password(password, ask_password)
    secret = SecretStr(password) if password else None
    with durable_engine(app) as launched_at:
        finish_recovered_workflows(launched_at=launched_at)
        with Progress(console=cli.console, transient=True) as progress:
            task = progress.add_task("Importing", total=len(files))
            outcomes = import_documents(
                [str(path) for path in paths],
                app.actor,
                key_prefix=key_prefix,
                password=secret,
                limits=read_limits(max_size_mb, max_pages),
                on_document=lambda _path: progress.advance(task),
            )
    cli.console.print(_outcomes_table(outcomes))
    failed = [outcome for outcome in outcomes if outcome["action"] == "failed"]
    for outcome in failed:
        name = Path(outcome["path"]).name
        cli.console.print(f"[red]failed[/]: {name}: {outcome['message']}", highlight=False)
    if failed:
        raise ContractSyncError(
            f"{len(failed)} of {len(outcomes)} document(s) failed to import; the others were "
            "imported. Fix the files named above and import them again."
        )


def _outcomes_table(outcomes: list[ImportOutcome]) -> Table:
    table = Table(title="imported documents")
    for column in ("file", "contract", "result", "version", "auto", "review", "note"):
        table.add_column(column, overflow="fold")
    styles = {
        "created": "green", "updated": "cyan", "attached": "magenta", "unchanged": "dim",
        "failed": "red",
    }  # fmt: skip
    for outcome in outcomes:
        failed = outcome["action"] == "failed"
        table.add_row(
            Path(outcome["path"]).name,
            outcome["contract_key"] or "",
            f"[{styles[outcome['action']]}]{outcome['action']}[/]",
            str(outcome["version"] or ""),
            "" if failed else str(outcome["auto_approved"]),
            "" if failed else str(outcome["pending"]),
            "see below" if failed else outcome["message"],
        )
    return table
