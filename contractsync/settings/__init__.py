"""Settings: one pydantic-settings model read from ``CONTRACTSYNC_*`` and ``contractsync.toml``.

Precedence, highest first: values passed in code (CLI options), environment variables,
secret files (``CONTRACTSYNC_SECRETS_DIR``), then the TOML file. Secrets are ``SecretStr``
and are refused in the plain TOML file, which tends to end up in version control.
"""

from __future__ import annotations

from ._names import CONFIG_FILE_NAME, ENV_PREFIX
from ._orgs import ORG_SECRETS, OrgSettings
from ._reference import settings_reference
from ._settings import Settings, load_settings

__all__ = [
    "CONFIG_FILE_NAME",
    "ENV_PREFIX",
    "ORG_SECRETS",
    "OrgSettings",
    "Settings",
    "load_settings",
    "settings_reference",
]
