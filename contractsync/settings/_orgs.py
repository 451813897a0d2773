"""Named Salesforce orgs: how to log in to each, what it receives, and when the worker runs it."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter
from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

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
        given = [name for name in ORG_SECRETS if getattr(self, name) is not None]
        if self.flow == "sandbox" and given:
            # A leftover secret (a file in the secrets folder, a variable) must not conjure
            # up a local sandbox org that a sync would then deliver to.
            raise ValueError(
                f"has a secret ({given[0]}) but no login flow: give its flow and login "
                "settings, or remove the secret"
            )
        return self
