"""The HTTP API service's settings: the ``[api]`` table and ``CONTRACTSYNC_API__*``."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, SecretStr, field_validator

from ._names import ENV_PREFIX


class ApiSettings(BaseModel):
    """The HTTP API service (``contractsync api serve``).

    The token comes from the environment (``CONTRACTSYNC_API__TOKEN``) or the secrets folder
    (a file ``contractsync_api__token``), never from the TOML file.
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
