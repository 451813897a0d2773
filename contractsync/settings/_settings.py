"""The settings model and ``load_settings``, which reads it with errors that name the fix.

Precedence, highest first: values passed in code (CLI options), environment variables,
secret files (``CONTRACTSYNC_SECRETS_DIR``), then the TOML file.
"""

from __future__ import annotations

import getpass
import os
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    NestedSecretsSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from contractsync.errors import ConfigurationError

from ._api import ApiSettings
from ._names import ENV_PREFIX
from ._orgs import OrgSettings
from ._sources import TomlSource, default_config_file, read_toml, toml_values

_ORG_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")


class Settings(BaseSettings):
    """Everything contractsync reads from its environment."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter="__", extra="forbid", frozen=True
    )

    data_dir: Path = Field(
        default=Path(".contractsync"),
        description="Folder for the embedded store, the durable engine's state and local files.",
    )
    database_url: SecretStr | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL of the store. Default: a SQLite file in the data folder. "
            "For scale-out: postgresql://user@host:5432/contractsync."
        ),
    )
    system_database_url: SecretStr | None = Field(
        default=None,
        description=(
            "URL of the durable engine's (DBOS) system database. Default: a SQLite file in the "
            "data folder, or the store's database when that is PostgreSQL."
        ),
    )
    actor: str = Field(
        default="",
        description="Who changes made from this process are attributed to. Default: cli:<user>.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="WARNING", description="Least severe log level written to the log."
    )
    orgs: dict[str, OrgSettings] = Field(
        default_factory=dict,
        description=(
            "Named Salesforce orgs ([orgs.NAME] tables). None: the local sandbox org "
            "(.contractsync/sandbox-org.sqlite) is the target."
        ),
    )
    api: ApiSettings = Field(
        default_factory=ApiSettings,
        description="The HTTP API service ([api] table); see API settings below.",
    )

    @field_validator("orgs")
    @classmethod
    def _lower_case_names(cls, orgs: dict[str, OrgSettings]) -> dict[str, OrgSettings]:
        # Environment variables and secret files are matched in lower case: an org named
        # "Emea" could never receive CONTRACTSYNC_ORGS__EMEA__PASSWORD.
        for name in orgs:
            if not _ORG_NAME.fullmatch(name):
                raise ValueError(
                    f"org name '{name}' must be lower case letters, digits, '-' or '_' "
                    f"(try '{name.lower()}')"
                )
        return orgs

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Nested secrets ("contractsync_orgs__emea__password") are files too, named like
        # their environment variables; the plain secrets source only reads top-level ones.
        secret_files = NestedSecretsSettingsSource(
            file_secret_settings, secrets_nested_delimiter="__", secrets_dir_missing="ok"
        )
        return (init_settings, env_settings, secret_files, TomlSource(settings_cls))

    # ---- derived values ----

    @property
    def store_url(self) -> str:
        """The store's database URL, with the embedded SQLite default filled in."""
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return f"sqlite:///{(self.data_dir / 'contractsync.sqlite').resolve()}"

    @property
    def engine_url(self) -> str:
        """The durable engine's system database URL."""
        if self.system_database_url is not None:
            return self.system_database_url.get_secret_value()
        if self.store_url.startswith("postgresql"):
            return self.store_url
        return f"sqlite:///{(self.data_dir / 'engine.sqlite').resolve()}"

    @property
    def actor_name(self) -> str:
        if self.actor:
            return self.actor
        try:
            user = getpass.getuser()
        except (KeyError, OSError):  # no login name in containers without a passwd entry
            user = "unknown"
        return f"cli:{user}"


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Read settings from the environment and the TOML file, with clear errors.

    The file is ``config_file``, else ``$CONTRACTSYNC_CONFIG``, else ``./contractsync.toml``
    when it exists. ``overrides`` (from CLI options) win over everything.
    """
    path = config_file or default_config_file()
    data = read_toml(path) if path is not None else {}
    secrets_dir = os.environ.get(f"{ENV_PREFIX}SECRETS_DIR")
    if secrets_dir and not Path(secrets_dir).is_dir():
        raise ConfigurationError(
            f"{ENV_PREFIX}SECRETS_DIR={secrets_dir} is not a folder; create it or unset it."
        )
    with toml_values(data):
        try:
            settings = Settings(_secrets_dir=secrets_dir, **overrides)
        except ValidationError as error:
            raise ConfigurationError(_describe(error, path)) from None
    for name in ("database_url", "system_database_url"):
        _check_database_url(name, getattr(settings, name))
    return settings


def _check_database_url(name: str, value: SecretStr | None) -> None:
    if value is None:
        return
    try:
        url = make_url(value.get_secret_value())
    except ArgumentError:
        raise ConfigurationError(
            f"Setting '{name}' is not a database URL. Use sqlite:///path/to/file.sqlite or "
            "postgresql://user@host:5432/dbname.",
            setting=name,
        ) from None
    if url.get_backend_name() not in {"sqlite", "postgresql"}:
        raise ConfigurationError(
            f"Setting '{name}' uses '{url.get_backend_name()}', which contractsync does not "
            "support. Use sqlite:///path/to/file.sqlite or postgresql://user@host:5432/dbname.",
            setting=name,
        )


def _describe(error: ValidationError, path: Path | None) -> str:
    first = error.errors()[0]
    name = ".".join(str(part) for part in first["loc"]) or "settings"
    where = f"{ENV_PREFIX}{name.upper().replace('.', '__')}" + (f" or {path}" if path else "")
    if first["type"] == "extra_forbidden":
        known = ", ".join(Settings.model_fields)
        return f"Unknown setting '{name}' (in {where}). Known settings: {known}."
    message = str(first["msg"]).removeprefix("Value error, ")
    return f"Setting '{name}' (from {where}) is invalid: {message}."
