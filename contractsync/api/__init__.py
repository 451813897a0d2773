"""The HTTP API (FastAPI, OpenAPI at ``/docs``): dead letters, sync runs and status,
contracts, health and Prometheus metrics over the same store and engine as the CLI."""

from ._app import create_api
from ._auth import check_bind_address, is_loopback

__all__ = ["check_bind_address", "create_api", "is_loopback"]
