"""Settings: one pydantic-settings model read from ``CONTRACTSYNC_*`` and ``contractsync.toml``.

Precedence, highest first: values passed in code (CLI options), environment variables,
secret files (``CONTRACTSYNC_SECRETS_DIR``), then the TOML file. Secrets are ``SecretStr``
and are refused in the plain TOML file, which tends to end up in version control.
"""

from __future__ import annotations

import getpass
import os
import tomllib
from contextvars import ContextVar
from pathlib import Path
from typing import Any, ClassVar, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from contractsync.errors import ConfigurationError

CONFIG_FILE_NAME = "contractsync.toml"
ENV_PREFIX = "CONTRACTSYNC_"

_toml_data: ContextVar[dict[str, Any] | None] = ContextVar("contractsync_toml_data", default=None)


OrgFlow = Literal["sandbox", "password", "client_credentials", "jwt", "access_token"]
ORG_SECRETS = ("client_secret", "password", "private_key", "access_token")


class OrgSchedule(BaseModel):
    """When ``contractsync worker`` runs an org's jobs: cron expressions of five fields, or
    six with seconds first (``*/30 * * * * *``). A job without one is not scheduled."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    sync: str | None = None
    """Deliver the org's changed contracts (`*/15 * * * *`: every quarter hour)."""
    inbound: str | None = None
    """Poll the org for changes to inbound fields."""
    reconcile: str | None = None
    """Look for drift and restore or accept it."""
    reconcile_policy: Literal["restore", "accept"] | None = None
    """Policy of scheduled reconciliations; none: each field's inbound policy."""
    timezone: str = "UTC"
    """IANA time zone the cron expressions are read in."""

    @model_validator(mode="after")
    def _valid(self) -> OrgSchedule:
        for job in ("sync", "inbound", "reconcile"):
            cron = getattr(self, job)
            if cron is not None and not croniter.is_valid(cron, second_at_beginning=True):
                raise ValueError(
                    f"schedule.{job} '{cron}' is not a cron expression: give five fields "
                    "(minute hour day month weekday), or six with seconds first"
                )
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(
                f"schedule.timezone '{self.timezone}' is not an IANA time zone "
                "(such as Europe/Berlin or UTC)"
            ) from error
        return self


class OrgSettings(BaseModel):
    """One named Salesforce org: how to log in, which mapping, which contracts, what limits.

    Secrets (``client_secret``, ``password``, ``private_key``, ``access_token``) come from
    the environment (``CONTRACTSYNC_ORGS__<NAME>__CLIENT_SECRET``) or the secrets folder,
    never from the TOML file.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    flow: OrgFlow = "sandbox"
    """How to log in: sandbox (the local sandbox org), password, client_credentials, jwt or
    access_token."""
    login_url: str | None = None
    """https://login.salesforce.com, https://test.salesforce.com or the My Domain URL."""
    instance_url: str | None = None
    """The org's instance URL, for the access_token flow."""
    client_id: str | None = None
    """The connected app's consumer key."""
    username: str | None = None
    """The integration user (password and jwt flows)."""
    client_secret: SecretStr | None = None
    """The connected app's consumer secret."""
    password: SecretStr | None = None
    """The user's password plus security token (password flow)."""
    private_key: SecretStr | None = None
    """PEM private key for the jwt flow."""
    private_key_file: Path | None = None
    """File holding the PEM private key for the jwt flow."""
    access_token: SecretStr | None = None
    """An access token obtained elsewhere (cannot be renewed)."""
    api_version: str = "62.0"
    """REST API version."""
    ca_bundle: Path | None = None
    """CA bundle to trust for this org (a TLS-inspecting proxy, or a sandbox org)."""
    mapping: Path | None = None
    """Mapping file; default: the mapping that ships with contractsync."""
    api_reserve: float = Field(default=0.2, ge=0.0, lt=1.0)
    """Share of the daily API allowance left for other integrations."""
    concurrency: int = Field(default=4, ge=1, le=25)
    """Workflows of this org running at once (Salesforce allows 25 long requests per org)."""
    calls_per_second: float | None = Field(default=None, gt=0)
    """Rate limit of this org's queue; none by default."""
    route: dict[str, list[str]] = Field(default_factory=dict)
    """Routing rules: contract field → accepted values (all must match); empty: every contract."""
    pause_s: float = Field(default=300.0, gt=0)
    """How long a sync pauses when the org's API allowance (less the reserve) is spent."""
    bulk_threshold: int = Field(default=2000, ge=2)
    """More records than this of one object in one run go through Bulk API 2.0."""
    timeout_s: float = Field(default=60.0, gt=0)
    """Seconds before a call to the org is abandoned (and retried)."""
    schedule: OrgSchedule = Field(default_factory=OrgSchedule)
    """When the worker syncs, polls and reconciles this org ([orgs.NAME.schedule] table)."""

    @model_validator(mode="after")
    def _complete(self) -> OrgSettings:
        needs = {
            "password": ("login_url", "client_id", "client_secret", "username", "password"),
            "client_credentials": ("login_url", "client_id", "client_secret"),
            "jwt": ("login_url", "client_id", "username"),
            "access_token": ("instance_url", "access_token"),
            "sandbox": (),
        }[self.flow]
        missing = [name for name in needs if getattr(self, name) is None]
        if self.flow == "jwt" and self.private_key is None and self.private_key_file is None:
            missing.append("private_key or private_key_file")
        if missing:
            raise ValueError(f"flow '{self.flow}' needs {', '.join(missing)}")
        return self


class ApiSettings(BaseModel):
    """The HTTP API service (``contractsync api serve``).

    The token comes from the environment (``CONTRACTSYNC_API__TOKEN``), never from the TOML
    file.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    MIN_TOKEN_LENGTH: ClassVar[int] = 16

    token: SecretStr | None = None
    """Bearer token that every endpoint but /health and /health/ready requires, at least 16
    characters. Without one the API answers loopback callers only."""

    @field_validator("token")
    @classmethod
    def _long_enough(cls, token: SecretStr | None) -> SecretStr | None:
        # An empty or short token would be a password anyone can guess; "set but empty"
        # must not read as "no token" either, which would open the API to loopback callers.
        if token is not None and len(token.get_secret_value()) < cls.MIN_TOKEN_LENGTH:
            raise ValueError(
                f"{ENV_PREFIX}API__TOKEN is too short to be safe (under "
                f"{cls.MIN_TOKEN_LENGTH} characters). Set it to a long random value, or unset "
                "it to serve loopback callers only: python -c 'import secrets; "
                "print(secrets.token_urlsafe(32))'"
            )
        return token


API_SECRETS = ("token",)


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

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, file_secret_settings, _TomlSource(settings_cls))

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


class _TomlSource(PydanticBaseSettingsSource):
    """The values of the TOML file being loaded (set by ``load_settings``)."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return (_toml_data.get() or {}).get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(_toml_data.get() or {})


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Read settings from the environment and the TOML file, with clear errors.

    The file is ``config_file``, else ``$CONTRACTSYNC_CONFIG``, else ``./contractsync.toml``
    when it exists. ``overrides`` (from CLI options) win over everything.
    """
    path = config_file or _default_config_file()
    data = _read_toml(path) if path is not None else {}
    secrets_dir = os.environ.get(f"{ENV_PREFIX}SECRETS_DIR")
    if secrets_dir and not Path(secrets_dir).is_dir():
        raise ConfigurationError(
            f"{ENV_PREFIX}SECRETS_DIR={secrets_dir} is not a folder; create it or unset it."
        )
    token = _toml_data.set(data)
    try:
        settings = Settings(_secrets_dir=secrets_dir, **overrides)
    except ValidationError as error:
        raise ConfigurationError(_describe(error, path)) from None
    finally:
        _toml_data.reset(token)
    for name in ("database_url", "system_database_url"):
        _check_database_url(name, getattr(settings, name))
    return settings


def _default_config_file() -> Path | None:
    named = os.environ.get(f"{ENV_PREFIX}CONFIG")
    if named:
        return Path(named)
    local = Path(CONFIG_FILE_NAME)
    return local if local.is_file() else None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigurationError(
            f"Config file {path} does not exist. Create it, or leave out --config "
            f"(and {ENV_PREFIX}CONFIG) to use the defaults.",
            path=str(path),
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigurationError(f"Config file {path} cannot be read: {error}.") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigurationError(
            f"Config file {path} is not valid TOML: {error}. Fix the syntax and run again.",
            path=str(path),
        ) from None
    for org_name, org in (data.get("orgs") or {}).items():
        present = [key for key in ORG_SECRETS if isinstance(org, dict) and key in org]
        if present:
            env = f"{ENV_PREFIX}ORGS__{org_name.upper()}__{present[0].upper()}"
            raise ConfigurationError(
                f"Config file {path} holds a secret ({present[0]}) for org '{org_name}'. "
                f"Secrets do not belong in plain files: remove it and set {env} in the "
                f"environment or a file named {env.lower()} in {ENV_PREFIX}SECRETS_DIR.",
                path=str(path),
                setting=f"orgs.{org_name}.{present[0]}",
            )
    api = data.get("api")
    present = [key for key in API_SECRETS if isinstance(api, dict) and key in api]
    if present:
        env = f"{ENV_PREFIX}API__{present[0].upper()}"
        raise ConfigurationError(
            f"Config file {path} holds a secret ({present[0]}) in [api]. Secrets do not "
            f"belong in plain files: remove it and set {env} in the environment.",
            path=str(path),
            setting=f"api.{present[0]}",
        )
    for name in ("database_url", "system_database_url"):
        value = data.get(name)
        if isinstance(value, str) and _has_password(value):
            raise ConfigurationError(
                f"Config file {path} holds a password in '{name}'. Secrets do not belong in "
                f"plain files: remove it and set {ENV_PREFIX}{name.upper()} in the environment "
                f"or a file named {ENV_PREFIX.lower()}{name} in {ENV_PREFIX}SECRETS_DIR.",
                path=str(path),
                setting=name,
            )
    return data


def _has_password(url: str) -> bool:
    try:
        return make_url(url).password is not None
    except ArgumentError:
        return False  # reported as a malformed URL after validation


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


def settings_reference() -> str:
    """The configuration reference as Markdown, generated from the settings model."""
    lines = [
        "# Configuration reference",
        "",
        "Generated from the settings model by `contractsync config reference`; a test keeps",
        "it current. Precedence: CLI options, environment variables, secret files in",
        f"`{ENV_PREFIX}SECRETS_DIR`, then `{CONFIG_FILE_NAME}`.",
        "",
        "| setting | environment variable | default | description |",
        "|---|---|---|---|",
    ]
    for name, field in Settings.model_fields.items():
        default = "" if field.default in (None, "") else f"`{field.default}`"
        if name in ("orgs", "api"):
            default = ""
        lines.append(
            f"| `{name}` | `{ENV_PREFIX}{name.upper()}` | {default} | {field.description or ''} |"
        )
    lines += [
        "",
        "## Org settings",
        "",
        (
            "Each `[orgs.NAME]` table; environment: "
            f"`{ENV_PREFIX}ORGS__NAME__SETTING` (secrets only there or in the secrets folder)."
        ),
        "",
        "| setting | default | description |",
        "|---|---|---|",
    ]
    for name, field in OrgSettings.model_fields.items():
        default = (
            ""
            if field.default in (None, "", {}) or field.default_factory
            else (f"`{field.default}`")
        )
        secret = " Secret." if name in ORG_SECRETS else ""
        description = " ".join((field.description or "").split())
        lines.append(f"| `{name}` | {default} | {description}{secret} |")
    lines += [
        "",
        "## Schedule settings",
        "",
        (
            "Each `[orgs.NAME.schedule]` table, run by `contractsync worker`; environment: "
            f"`{ENV_PREFIX}ORGS__NAME__SCHEDULE__SETTING`."
        ),
        "",
    ]
    for name, field in OrgSchedule.model_fields.items():
        default = "" if field.default is None else f" Default `{field.default}`."
        description = " ".join((field.description or "").split())
        lines.append(f"- `{name}`: {description}{default}")
    lines += [
        "",
        "## API settings",
        "",
        f"The `[api]` table; environment: `{ENV_PREFIX}API__SETTING`.",
        "",
    ]
    for name, field in ApiSettings.model_fields.items():
        secret = " Secret: environment only." if name in API_SECRETS else ""
        description = " ".join((field.description or "").split())
        # A list, not a table: the tables above hold exactly the top-level and org settings.
        lines.append(f"- `{name}` (`{ENV_PREFIX}API__{name.upper()}`): {description}{secret}")
    return "\n".join(lines) + "\n"
