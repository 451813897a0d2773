"""``contractsync orgs add|remove``: named orgs kept in contractsync.toml, secrets elsewhere."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Any

import tomli_w
import typer
from pydantic import ValidationError

from contractsync.errors import ConfigurationError
from contractsync.settings import CONFIG_FILE_NAME, ENV_PREFIX, ORG_SECRETS, OrgSettings

from ._state import state

_NEEDS_SECRETS = {
    "password": ("client_secret", "password"),
    "client_credentials": ("client_secret",),
    "jwt": (),
    "access_token": ("access_token",),
    "sandbox": (),
}


def orgs_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The org's name, e.g. emea.")],
    *,
    flow: Annotated[
        str, typer.Option(help="sandbox, password, client_credentials, jwt or access_token.")
    ],
    login_url: Annotated[str | None, typer.Option(help="Login or My Domain URL.")] = None,
    instance_url: Annotated[
        str | None, typer.Option(help="Instance URL (access_token flow).")
    ] = None,
    client_id: Annotated[str | None, typer.Option(help="Connected app consumer key.")] = None,
    username: Annotated[str | None, typer.Option(help="Integration user.")] = None,
    private_key_file: Annotated[Path | None, typer.Option(help="PEM key file (jwt flow).")] = None,
    mapping: Annotated[Path | None, typer.Option(help="Mapping file (default: built in).")] = None,
    route: Annotated[
        list[str] | None, typer.Option(help="Routing rule FIELD=VALUE[,VALUE...] (repeatable).")
    ] = None,
) -> None:
    """Add (or replace) a named org in contractsync.toml; secrets are never written there."""
    if not name.replace("-", "_").isidentifier():
        raise ConfigurationError(f"Org name '{name}' must be letters, digits, - or _.")
    entry: dict[str, Any] = {"flow": flow}
    options = {
        "login_url": login_url, "instance_url": instance_url, "client_id": client_id,
        "username": username, "private_key_file": private_key_file, "mapping": mapping,
    }  # fmt: skip
    entry.update({key: str(value) for key, value in options.items() if value is not None})
    if route:
        entry["route"] = _routes(route)
    secrets = _NEEDS_SECRETS.get(flow, ())
    if flow == "jwt" and private_key_file is None:
        secrets = ("private_key",)
    _validate(name, entry, secrets)
    path = _config_path(ctx)
    document = _read(path)
    document.setdefault("orgs", {})[name] = entry
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    console = state(ctx).console
    console.print(f"Org '{name}' saved in {path}.", highlight=False)
    for secret in secrets:
        env = f"{ENV_PREFIX}ORGS__{name.upper()}__{secret.upper()}"
        console.print(
            f"Set its {secret} in the environment ({env}) or in the file "
            f"{env.lower()} of {ENV_PREFIX}SECRETS_DIR.",
            highlight=False,
        )
    console.print(f"Then check it with: contractsync orgs test {name}", highlight=False)


def orgs_remove(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="The org to remove.")]
) -> None:
    """Remove a named org from contractsync.toml."""
    path = _config_path(ctx)
    document = _read(path)
    if name not in document.get("orgs", {}):
        known = ", ".join(sorted(document.get("orgs", {}))) or "none"
        raise ConfigurationError(f"No org '{name}' in {path} (orgs there: {known}).")
    del document["orgs"][name]
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    state(ctx).console.print(f"Org '{name}' removed from {path}.", highlight=False)


def _routes(rules: list[str]) -> dict[str, list[str]]:
    routes: dict[str, list[str]] = {}
    for rule in rules:
        field, sep, values = rule.partition("=")
        if not sep or not field or not values:
            raise ConfigurationError(
                f"Routing rule '{rule}' must look like FIELD=VALUE[,VALUE...], e.g. region=EMEA."
            )
        routes[field.strip()] = [value.strip() for value in values.split(",") if value.strip()]
    return routes


def _validate(name: str, entry: dict[str, Any], secrets: tuple[str, ...]) -> None:
    placeholders = dict.fromkeys(secrets, "placeholder")
    try:
        OrgSettings.model_validate({**entry, **placeholders})
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "org"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ConfigurationError(f"Org '{name}': {where}: {message}.") from None
    assert not set(entry) & set(ORG_SECRETS)  # noqa: S101 - secrets are never options here


def _config_path(ctx: typer.Context) -> Path:
    return state(ctx).config_file or Path(CONFIG_FILE_NAME)


def _read(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigurationError(f"Config file {path} is not valid TOML: {error}.") from None
