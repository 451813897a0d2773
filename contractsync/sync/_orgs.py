"""The orgs a process talks to: clients built from settings, the local sandbox by default.

With no org configured, the target is the local sandbox org, started in this process
from ``<data_dir>/sandbox-org.sqlite`` (state survives between runs) with the package the
mapping needs installed, so the embedded default works with nothing to set up.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from contractsync.errors import ConfigurationError, PermanentSyncError
from contractsync.mapping import Mapping, default_mapping_path, load_mapping
from contractsync.package import install_in_sandbox
from contractsync.salesforce import (
    AccessTokenAuth,
    ClientCredentialsAuth,
    JwtBearerAuth,
    LimitTracker,
    OrgAuth,
    OrgClient,
    PasswordAuth,
)
from contractsync.settings import OrgSettings, Settings

from ._fit import FitChecks
from ._owners import OwnerDirectory

log = logging.getLogger(__name__)

SANDBOX_ORG = "sandbox"


class OrgRegistry:
    """Named orgs with their settings, mappings and (lazily) clients."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._orgs: dict[str, OrgSettings] = dict(settings.orgs) or {SANDBOX_ORG: OrgSettings()}
        self._clients: dict[str, OrgClient] = {}
        self._mappings: dict[str, Mapping] = {}
        self._sandboxes: dict[str, Any] = {}
        self._owners: dict[str, OwnerDirectory] = {}
        self.fit_checks = FitChecks()
        """Orgs whose mapping passed its check recently in this process (``_fit``)."""
        # Workflow steps and API requests reach the registry from several threads; each
        # org must get exactly one client (one usage tracker) and one local sandbox server.
        self._lock = threading.RLock()

    def names(self) -> list[str]:
        return sorted(self._orgs)

    def settings_for(self, name: str) -> OrgSettings:
        try:
            return self._orgs[name]
        except KeyError:
            known = ", ".join(self.names())
            raise ConfigurationError(
                f"No org named '{name}'. Known orgs: {known}. Add one with: "
                "contractsync orgs add NAME ...",
                org=name,
            ) from None

    def mapping(self, name: str) -> Mapping:
        with self._lock:
            if name not in self._mappings:
                path = self.settings_for(name).mapping or default_mapping_path()
                self._mappings[name] = load_mapping(path)
            return self._mappings[name]

    def client(self, name: str) -> OrgClient:
        with self._lock:
            if name not in self._clients:
                org = self.settings_for(name)
                auth, ca_bundle = self._auth(name, org)
                self._clients[name] = OrgClient(
                    name,
                    auth,
                    api_version=org.api_version,
                    ca_bundle=ca_bundle,
                    timeout_s=org.timeout_s,
                    limits=LimitTracker(reserve_fraction=org.api_reserve),
                )
            return self._clients[name]

    def owners(self, name: str) -> OwnerDirectory:
        """The owners ``name`` resolved recently in this process (see ``OwnerDirectory``)."""
        self.settings_for(name)
        with self._lock:
            return self._owners.setdefault(name, OwnerDirectory())

    def _auth(self, name: str, org: OrgSettings) -> tuple[OrgAuth, str | None]:
        ca_bundle = str(org.ca_bundle) if org.ca_bundle else None
        if org.flow == "sandbox":
            info = self._sandbox(name).info
            auth = PasswordAuth(
                login_url=info.login_url,
                client_id=info.client_id,
                client_secret=SecretStr(info.client_secret),
                username=info.username,
                password=SecretStr(info.password),
            )
            return auth, info.ca_bundle
        if org.flow == "password":
            return (
                PasswordAuth(
                    _given(org.login_url),
                    _given(org.client_id),
                    _secret(org.client_secret),
                    _given(org.username),
                    _secret(org.password),
                ),
                ca_bundle,
            )
        if org.flow == "client_credentials":
            auth_cc = ClientCredentialsAuth(
                _given(org.login_url), _given(org.client_id), _secret(org.client_secret)
            )
            return auth_cc, ca_bundle
        if org.flow == "jwt":
            key = org.private_key or _read_key(name, org.private_key_file)
            return (
                JwtBearerAuth(
                    _given(org.login_url), _given(org.client_id), _given(org.username), key
                ),
                ca_bundle,
            )
        return AccessTokenAuth(_given(org.instance_url), _secret(org.access_token)), ca_bundle

    def _sandbox(self, name: str) -> Any:
        """The local sandbox org for ``name``, started on first use, package installed."""
        with self._lock:
            return self._started_sandbox(name)

    def _started_sandbox(self, name: str) -> Any:
        if name not in self._sandboxes:
            from contractsync.sandbox import SandboxOrg  # noqa: PLC0415 - only for this flow

            data = self.settings.data_dir / f"{name}-org.sqlite"
            data.parent.mkdir(parents=True, exist_ok=True)
            sandbox = SandboxOrg(data=data).start()
            self._sandboxes[name] = sandbox
            added = install_in_sandbox(sandbox, self.mapping(name))
            if added:
                log.info("package installed in sandbox org=%s added=%d", name, len(added))
        return self._sandboxes[name]

    def close(self) -> None:
        with self._lock:
            for client in self._clients.values():
                client.close()
            for sandbox in self._sandboxes.values():
                sandbox.stop()
            self._clients.clear()
            self._sandboxes.clear()
            self._owners.clear()


def _given(value: str | None) -> str:
    if value is None:  # OrgSettings validation makes this unreachable for a checked flow
        raise ConfigurationError("An org setting required by its login flow is missing.")
    return value


def _secret(value: SecretStr | None) -> SecretStr:
    if value is None:
        raise ConfigurationError("An org secret required by its login flow is missing.")
    return value


def _read_key(name: str, path: Path | None) -> SecretStr:
    if path is None:
        raise ConfigurationError(f"Org '{name}' needs private_key or private_key_file for jwt.")
    try:
        return SecretStr(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise PermanentSyncError(
            f"Org '{name}': the private key file {path} cannot be read ({error.strerror}).",
            org=name,
        ) from None
