"""The root command: global options, sub-command groups, and how errors reach the user.

Usage errors and configuration problems print one line and exit 2; failures print one
line and exit 1. Tracebacks go to the log file, or to the screen with ``--debug``.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from contractsync import __version__
from contractsync.errors import ConfigurationError, ContractSyncError
from contractsync.logs import configure_logging, redact
from contractsync.settings import settings_reference

from ._api import api_app
from ._audit import audit_app
from ._contracts import contracts_app
from ._engine import workflows_app
from ._extraction import eval_app, extract
from ._import import import_contracts
from ._orgs import orgs_add, orgs_remove
from ._reconcile import inbound_app, reconcile
from ._state import CliState, state
from ._sync import dlq_app, mapping_app, orgs_app, sync_app
from ._worker import schedules, worker

log = logging.getLogger("contractsync")

app = typer.Typer(
    name="contractsync",
    help="Turn contracts into live, governed Salesforce data.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
app.add_typer(contracts_app, name="contracts")
app.add_typer(audit_app, name="audit")
app.add_typer(workflows_app, name="workflows")
app.command("extract")(extract)
app.command("import")(import_contracts)
app.add_typer(sync_app, name="sync")
app.add_typer(dlq_app, name="dlq")
app.add_typer(mapping_app, name="mapping")
app.add_typer(orgs_app, name="orgs")
app.command("reconcile")(reconcile)
app.add_typer(inbound_app, name="inbound")
orgs_app.command("add")(orgs_add)
orgs_app.command("remove")(orgs_remove)
app.add_typer(eval_app, name="eval")
app.command("worker")(worker)
app.command("schedules")(schedules)
app.add_typer(api_app, name="api")
config_app = typer.Typer(help="Settings: where they come from and what they are.")
app.add_typer(config_app, name="config")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"contractsync {__version__}")
        raise typer.Exit


@app.callback()
def root(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="Settings file (TOML). Default: $CONTRACTSYNC_CONFIG or ./contractsync.toml.",
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """contractsync: contracts in, governed Salesforce data out."""
    ctx.obj = CliState(config_file=config, debug=debug)
    try:
        settings = ctx.obj.settings
    except ContractSyncError:
        return  # reported when a command needs the settings
    configure_logging(
        log_file=settings.data_dir / "logs" / "contractsync.log",
        level=settings.log_level,
        debug=debug,
    )


@app.command()
def init(ctx: typer.Context) -> None:
    """Create the store (or upgrade its schema) in the configured database."""
    cli = state(ctx)
    application = cli.app(require_schema=False)
    before, after = application.database.upgrade()
    where = application.database.display_url
    if before == after:
        cli.console.print(f"Store is up to date at {where} (schema {after}).")
    elif before is None:
        cli.console.print(f"Created the store at {where} (schema {after}).")
    else:
        cli.console.print(f"Upgraded the store at {where} from schema {before} to {after}.")


@config_app.command("show")
def config_show(ctx: typer.Context) -> None:
    """Print the settings in force (secrets hidden)."""
    cli = state(ctx)
    settings = cli.settings
    for name in type(settings).model_fields:
        cli.console.print(f"{name} = {getattr(settings, name)!s}", highlight=False)
    cli.console.print(f"store = {_hide_password(settings.store_url)}", highlight=False)


@config_app.command("reference")
def config_reference() -> None:
    """Print the configuration reference (Markdown), generated from the settings model."""
    typer.echo(settings_reference(), nl=False)


def _hide_password(url: str) -> str:
    from sqlalchemy.engine import make_url  # noqa: PLC0415 - only this command needs it

    return make_url(url).render_as_string(hide_password=True)


def _mount_sandbox() -> None:
    try:
        from contractsync.sandbox._cli import sandbox_app  # noqa: PLC0415
    except ImportError:  # pragma: no cover - the sandbox ships with contractsync
        return
    app.add_typer(sandbox_app, name="sandbox")


_mount_sandbox()


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 failure, 2 usage or configuration)."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    # Until the settings say where the log file is, records go nowhere rather than to the
    # terminal through logging's last-resort handler.
    configure_logging(log_file=None, level="WARNING", debug=debug)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    command = typer.main.get_command(app)
    ctx_state: CliState | None = None
    try:
        with command.make_context("contractsync", list(args)) as ctx:
            ctx_state = ctx.obj if isinstance(ctx.obj, CliState) else None
            command.invoke(ctx)
    except typer.Exit as done:
        return done.exit_code
    except typer.Abort:
        err.print("Aborted.")
        return 1
    except typer.TyperException as error:
        # Typer's usage errors (unknown command or option, bad value) carry exit code 2.
        usage_ctx = getattr(error, "ctx", None)
        if type(error).__name__ == "NoArgsIsHelpError":
            return 0  # Typer has printed the help already
        hint = f" See '{usage_ctx.command_path} --help'." if usage_ctx is not None else ""
        err.print(f"error: {error.format_message()}{hint}")
        return error.exit_code
    except ConfigurationError as error:
        _report(err, error, debug)
        return 2
    except ContractSyncError as error:
        _report(err, error, debug)
        return 1
    except KeyboardInterrupt:
        err.print("Interrupted.")
        return 130
    except Exception as error:
        log.exception("unexpected error")
        if debug:
            err.print_exception()
        err.print(
            f"error: unexpected {type(error).__name__}: {error}. "
            "Run again with --debug for the traceback, and please report it."
        )
        return 1
    finally:
        if ctx_state is not None:
            ctx_state.close()
    return 0


def _report(err: Console, error: ContractSyncError, debug: bool) -> None:
    log.warning("error code=%s %s", error.code, error.message, exc_info=error)
    if debug:
        err.print_exception()
    err.print(f"error: {redact(error.message)}")


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
