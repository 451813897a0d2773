"""``contractsync api serve``: the HTTP API on uvicorn, one process, one durable engine."""

from __future__ import annotations

from typing import Annotated

import typer

from ._state import state

api_app = typer.Typer(
    help="The HTTP API: dead letters, sync status, metrics.", no_args_is_help=True
)


@api_app.command("serve")
def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option(help="Address to listen on; beyond loopback needs an API token.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Serve the API (OpenAPI docs at /docs) until interrupted."""
    import uvicorn  # noqa: PLC0415 - only this command needs the server

    from contractsync.api import check_bind_address, create_api  # noqa: PLC0415 - as above

    cli = state(ctx)
    check_bind_address(cli.settings, host)
    api = create_api(cli.app())
    cli.console.print(
        f"contractsync API on http://{host}:{port} (docs at /docs); Ctrl+C stops it.",
        highlight=False,
    )
    uvicorn.run(api, host=host, port=port)
