"""The TOML config file as a settings source, read with the secrets it must not hold refused.

``contractsync.toml`` tends to end up in version control, so a secret found in it is an
error that names the environment variable to use instead.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from pydantic.fields import FieldInfo
from pydantic_settings import PydanticBaseSettingsSource
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from contractsync.errors import ConfigurationError

from ._api import API_SECRETS
from ._names import CONFIG_FILE_NAME, ENV_PREFIX
from ._orgs import ORG_SECRETS

# A context variable, not a class attribute: pydantic-settings builds the sources itself, and
# concurrent loads (threads, tasks) must each see their own file.
_toml_data: ContextVar[dict[str, Any] | None] = ContextVar("contractsync_toml_data", default=None)


class TomlSource(PydanticBaseSettingsSource):
    """The values of the TOML file being loaded (set by ``load_settings``)."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return (_toml_data.get() or {}).get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(_toml_data.get() or {})


@contextmanager
def toml_values(data: dict[str, Any]) -> Iterator[None]:
    """Make ``data`` what ``TomlSource`` reads while the block runs."""
    token = _toml_data.set(data)
    try:
        yield
    finally:
        _toml_data.reset(token)


def default_config_file() -> Path | None:
    named = os.environ.get(f"{ENV_PREFIX}CONFIG")
    if named:
        return Path(named)
    local = Path(CONFIG_FILE_NAME)
    return local if local.is_file() else None


def read_toml(path: Path) -> dict[str, Any]:
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
            f"belong in plain files: remove it and set {env} in the environment or a file "
            f"named {env.lower()} in {ENV_PREFIX}SECRETS_DIR.",
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
