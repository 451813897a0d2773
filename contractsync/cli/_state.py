"""What the root command hands to every sub-command: options, settings and the app."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import typer
from rich.console import Console

from contractsync.context import App
from contractsync.settings import Settings, load_settings


@dataclass(slots=True)
class CliState:
    config_file: Path | None = None
    debug: bool = False
    console: Console = field(default_factory=Console)
    _settings: Settings | None = None
    _app: App | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.config_file)
        return self._settings

    def app(self, *, require_schema: bool = True) -> App:
        if self._app is None:
            self._app = App.open(self.settings, require_schema=require_schema)
        return self._app

    def close(self) -> None:
        if self._app is not None:
            self._app.close()
            self._app = None


def state(ctx: typer.Context) -> CliState:
    found = ctx.find_root().obj
    if not isinstance(found, CliState):
        found = CliState()
        ctx.find_root().obj = found
    return found
