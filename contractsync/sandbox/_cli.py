"""``contractsync sandbox serve``: run the sandbox org in the foreground.

With ``--json`` the first line on stdout is one JSON object with the connection details
(instance_url, access_token, ca_bundle, ...), so scripts can start the org and read it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ._faults import FaultPlan
from ._server import SandboxOrg

__all__ = ["sandbox_app"]

sandbox_app = typer.Typer(help="Run the local Salesforce-compatible sandbox org.")


@sandbox_app.callback()
def sandbox() -> None:
    """The local Salesforce-compatible sandbox org (a group, so ``serve`` stays a subcommand)."""


@sandbox_app.command()
def serve(
    *,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port; 0 picks a free one.")] = 0,
    data: Annotated[
        Path | None, typer.Option(help="SQLite file that keeps the org across restarts.")
    ] = None,
    http: Annotated[
        bool, typer.Option("--http", help="Serve plain HTTP instead of HTTPS.")
    ] = False,
    api_version: Annotated[str, typer.Option(help="Newest API version served.")] = "62.0",
    latency_ms: Annotated[int, typer.Option(help="Added latency per REST call.")] = 0,
    jitter_ms: Annotated[int, typer.Option(help="Random extra latency, up to this.")] = 0,
    faults: Annotated[
        str,
        typer.Option(help="Fault plan, e.g. 'seed=7,rest:unavailable=0.1,composite:lock=0.05'."),
    ] = "",
    daily_api_limit: Annotated[int, typer.Option(help="Daily API request allocation.")] = 15000,
    jwt_cert: Annotated[
        list[Path] | None, typer.Option(help="PEM certificate trusted for JWT bearer logins.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print connection details as one JSON line first.")
    ] = False,
) -> None:
    """Serve the sandbox org until interrupted."""
    try:
        plan = FaultPlan.parse(faults, latency_ms=latency_ms, jitter_ms=jitter_ms)
        certificates = [p.read_text() for p in jwt_cert or []]
    except (ValueError, OSError) as bad:
        typer.echo(f"Error: {bad}", err=True)
        raise typer.Exit(2) from None
    org = SandboxOrg(
        data,
        host=host,
        port=port,
        http=http,
        api_version=api_version,
        faults=plan,
        daily_api_limit=daily_api_limit,
        jwt_certificates=certificates,
    )
    org.serve_forever_with(_announce(as_json))


def _announce(as_json: bool) -> SandboxOrg.Announce:
    def announce(org: SandboxOrg) -> None:
        info = org.info
        if as_json:
            sys.stdout.write(json.dumps(info.to_json()) + "\n")
        else:
            sys.stdout.write(
                f"Sandbox org at {info.instance_url} (API v{info.api_version})\n"
                f"  username: {info.username}\n"
                f"  access token: {info.access_token}\n"
                f"  CA bundle: {info.ca_bundle or '(plain HTTP)'}\n"
            )
        sys.stdout.flush()

    return announce
