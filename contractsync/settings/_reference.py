"""The configuration reference (``docs/configuration.md``), generated from the settings models."""

from __future__ import annotations

from ._api import API_SECRETS, ApiSettings
from ._names import CONFIG_FILE_NAME, ENV_PREFIX
from ._orgs import ORG_SECRETS, OrgSchedule, OrgSettings
from ._settings import Settings


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
        secret = " Secret: environment or secrets folder only." if name in API_SECRETS else ""
        description = " ".join((field.description or "").split())
        # A list, not a table: the tables above hold exactly the top-level and org settings.
        lines.append(f"- `{name}` (`{ENV_PREFIX}API__{name.upper()}`): {description}{secret}")
    return "\n".join(lines) + "\n"
