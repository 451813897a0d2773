"""Settings: defaults, precedence, secrets kept out of plain files and out of output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from contractsync.errors import ConfigurationError
from contractsync.settings import OrgSettings, Settings, load_settings, settings_reference

PASSWORD = "s3cr3t-Pa55"
POSTGRES_WITH_PASSWORD = f"postgresql://app:{PASSWORD}@db.example:5432/contractsync"


@pytest.fixture(autouse=True)
def _in_empty_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Run each test in an empty folder (tests/conftest.py clears CONTRACTSYNC_* variables)."""
    monkeypatch.chdir(tmp_path)


def _write_toml(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ---- defaults ----


def test_defaults(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.data_dir == Path(".contractsync")
    assert settings.database_url is None
    assert settings.log_level == "WARNING"
    data_dir = (tmp_path / ".contractsync").resolve()
    assert settings.store_url == f"sqlite:///{data_dir / 'contractsync.sqlite'}"
    assert settings.engine_url == f"sqlite:///{data_dir / 'engine.sqlite'}"


def test_engine_shares_a_postgresql_store(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "postgresql://app@db.example:5432/contractsync"
    monkeypatch.setenv("CONTRACTSYNC_DATABASE_URL", url)
    settings = load_settings()
    assert settings.store_url == url
    assert settings.engine_url == url


def test_engine_keeps_sqlite_when_the_store_is_a_sqlite_file(tmp_path: Path) -> None:
    settings = load_settings(database_url=f"sqlite:///{tmp_path / 'store.sqlite'}")
    assert settings.store_url == f"sqlite:///{tmp_path / 'store.sqlite'}"
    assert (
        settings.engine_url == f"sqlite:///{(tmp_path / '.contractsync/engine.sqlite').resolve()}"
    )


def test_engine_url_can_be_set_on_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTRACTSYNC_DATABASE_URL", "postgresql://app@db.example/store")
    monkeypatch.setenv("CONTRACTSYNC_SYSTEM_DATABASE_URL", "postgresql://app@db.example/engine")
    assert load_settings().engine_url == "postgresql://app@db.example/engine"


def test_default_actor_is_the_login_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("contractsync.settings._settings.getpass.getuser", lambda: "maria")
    assert load_settings().actor_name == "cli:maria"
    assert load_settings(actor="api:sync").actor_name == "api:sync"


def test_actor_without_a_login_name(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_user() -> str:
        raise KeyError("getpwuid(): uid not found: 1000")

    monkeypatch.setattr("contractsync.settings._settings.getpass.getuser", no_user)
    assert load_settings().actor_name == "cli:unknown"


def test_settings_are_frozen() -> None:
    settings = load_settings()
    with pytest.raises(ValueError, match="frozen"):
        settings.log_level = "DEBUG"  # type: ignore[misc]


# ---- precedence ----


def test_local_toml_file_is_read(tmp_path: Path) -> None:
    _write_toml(tmp_path / "contractsync.toml", 'data_dir = "from-toml"\nlog_level = "INFO"\n')
    settings = load_settings()
    assert settings.data_dir == Path("from-toml")
    assert settings.log_level == "INFO"


def test_environment_overrides_the_toml_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _write_toml(tmp_path / "contractsync.toml", 'data_dir = "from-toml"\nlog_level = "INFO"\n')
    monkeypatch.setenv("CONTRACTSYNC_DATA_DIR", "from-env")
    settings = load_settings()
    assert settings.data_dir == Path("from-env")
    assert settings.log_level == "INFO"  # not overridden, still from the file


def test_explicit_overrides_win(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _write_toml(tmp_path / "contractsync.toml", 'data_dir = "from-toml"\n')
    monkeypatch.setenv("CONTRACTSYNC_DATA_DIR", "from-env")
    monkeypatch.setenv("CONTRACTSYNC_LOG_LEVEL", "ERROR")
    settings = load_settings(data_dir=Path("from-cli"))
    assert settings.data_dir == Path("from-cli")
    assert settings.log_level == "ERROR"


def test_config_file_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _write_toml(tmp_path / "contractsync.toml", 'log_level = "INFO"\n')
    named = _write_toml(tmp_path / "elsewhere.toml", 'log_level = "DEBUG"\n')
    monkeypatch.setenv("CONTRACTSYNC_CONFIG", str(named))
    assert load_settings().log_level == "DEBUG"


def test_explicit_config_file_wins_over_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CONTRACTSYNC_CONFIG", str(tmp_path / "missing.toml"))
    given = _write_toml(tmp_path / "given.toml", 'log_level = "ERROR"\n')
    assert load_settings(given).log_level == "ERROR"


def test_toml_values_do_not_leak_into_later_loads(tmp_path: Path) -> None:
    given = _write_toml(tmp_path / "given.toml", 'log_level = "ERROR"\n')
    assert load_settings(given).log_level == "ERROR"
    assert load_settings().log_level == "WARNING"
    assert Settings().log_level == "WARNING"


# ---- file errors ----


def test_missing_config_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    with pytest.raises(ConfigurationError, match=f"Config file {re.escape(str(missing))} does"):
        load_settings(missing)


def test_missing_config_file_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CONTRACTSYNC_CONFIG", str(tmp_path / "gone.toml"))
    with pytest.raises(ConfigurationError, match=r"gone\.toml does not exist") as raised:
        load_settings()
    assert "CONTRACTSYNC_CONFIG" in str(raised.value)


def test_malformed_toml_names_the_file(tmp_path: Path) -> None:
    path = _write_toml(tmp_path / "contractsync.toml", 'log_level = "INFO\n')
    with pytest.raises(ConfigurationError, match="is not valid TOML") as raised:
        load_settings()
    assert str(path.name) in str(raised.value)
    assert raised.value.path == "contractsync.toml"
    assert str(raised.value).endswith("Fix the syntax and run again.")


def test_non_utf8_toml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('actor = "José"\n'.encode("latin-1"))
    with pytest.raises(ConfigurationError, match=r"latin1\.toml cannot be read"):
        load_settings(path)


# ---- invalid values ----


def test_unknown_setting_is_named_with_the_known_ones(tmp_path: Path) -> None:
    _write_toml(tmp_path / "contractsync.toml", 'data_dri = "x"\n')
    with pytest.raises(ConfigurationError) as raised:
        load_settings()
    message = str(raised.value)
    assert message.startswith("Unknown setting 'data_dri'")
    assert "contractsync.toml" in message
    known = message.split("Known settings: ")[1].rstrip(".").split(", ")
    assert known == list(Settings.model_fields)


def test_invalid_value_names_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTRACTSYNC_LOG_LEVEL", "LOUD")
    with pytest.raises(ConfigurationError, match=r"Setting 'log_level' .* is invalid") as raised:
        load_settings()
    assert "CONTRACTSYNC_LOG_LEVEL" in str(raised.value)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        pytest.param(
            "database_url",
            "mysql://app@db.example/contractsync",
            "Setting 'database_url' uses 'mysql', which contractsync does not support",
            id="mysql-store",
        ),
        pytest.param(
            "system_database_url",
            "oracle://app@db.example/engine",
            "Setting 'system_database_url' uses 'oracle'",
            id="oracle-engine",
        ),
        pytest.param(
            "database_url",
            "not a url",
            "Setting 'database_url' is not a database URL. Use sqlite:///",
            id="malformed",
        ),
        pytest.param(
            "database_url",
            f"mysql://app:{PASSWORD}@db.example/contractsync",
            "Setting 'database_url' uses 'mysql'",
            id="mysql-with-password",
        ),
    ],
)
def test_unsupported_database_urls_are_refused(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(f"CONTRACTSYNC_{name.upper()}", value)
    with pytest.raises(ConfigurationError, match=re.escape(message)) as raised:
        load_settings()
    assert raised.value.setting == name
    assert PASSWORD not in str(raised.value)
    assert PASSWORD not in repr(raised.value.context)


# ---- secrets ----


@pytest.mark.parametrize("name", ["database_url", "system_database_url"])
def test_password_in_the_toml_file_is_refused(tmp_path: Path, name: str) -> None:
    _write_toml(tmp_path / "contractsync.toml", f'{name} = "{POSTGRES_WITH_PASSWORD}"\n')
    with pytest.raises(ConfigurationError, match=f"holds a password in '{name}'") as raised:
        load_settings()
    message = str(raised.value)
    assert PASSWORD not in message
    assert f"CONTRACTSYNC_{name.upper()}" in message
    assert raised.value.setting == name


def test_url_without_password_is_fine_in_the_toml_file(tmp_path: Path) -> None:
    url = "postgresql://app@db.example:5432/contractsync"
    _write_toml(tmp_path / "contractsync.toml", f'database_url = "{url}"\n')
    assert load_settings().store_url == url


def test_password_from_the_environment_is_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTRACTSYNC_DATABASE_URL", POSTGRES_WITH_PASSWORD)
    settings = load_settings()
    assert settings.store_url == POSTGRES_WITH_PASSWORD
    assert settings.engine_url == POSTGRES_WITH_PASSWORD


def test_environment_password_overrides_a_toml_url(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _write_toml(tmp_path / "contractsync.toml", 'database_url = "postgresql://app@toml/db"\n')
    monkeypatch.setenv("CONTRACTSYNC_DATABASE_URL", POSTGRES_WITH_PASSWORD)
    assert load_settings().store_url == POSTGRES_WITH_PASSWORD


def test_secrets_dir_provides_secrets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "contractsync_database_url").write_text(POSTGRES_WITH_PASSWORD, encoding="utf-8")
    monkeypatch.setenv("CONTRACTSYNC_SECRETS_DIR", str(secrets))
    assert load_settings().store_url == POSTGRES_WITH_PASSWORD


def test_environment_overrides_the_secrets_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "contractsync_database_url").write_text(POSTGRES_WITH_PASSWORD, encoding="utf-8")
    monkeypatch.setenv("CONTRACTSYNC_SECRETS_DIR", str(secrets))
    monkeypatch.setenv("CONTRACTSYNC_DATABASE_URL", "postgresql://app@env/db")
    assert load_settings().store_url == "postgresql://app@env/db"


def test_secrets_dir_overrides_the_toml_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _write_toml(tmp_path / "contractsync.toml", 'database_url = "postgresql://app@toml/db"\n')
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "contractsync_database_url").write_text(POSTGRES_WITH_PASSWORD, encoding="utf-8")
    monkeypatch.setenv("CONTRACTSYNC_SECRETS_DIR", str(secrets))
    assert load_settings().store_url == POSTGRES_WITH_PASSWORD


def test_the_secret_file_named_in_the_refusal_is_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _write_toml(tmp_path / "contractsync.toml", f'database_url = "{POSTGRES_WITH_PASSWORD}"\n')
    with pytest.raises(ConfigurationError) as raised:
        load_settings()
    suggested = re.search(r"a file named (\S+) in CONTRACTSYNC_SECRETS_DIR", str(raised.value))
    assert suggested is not None
    (tmp_path / "contractsync.toml").unlink()
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / suggested.group(1)).write_text(POSTGRES_WITH_PASSWORD, encoding="utf-8")
    monkeypatch.setenv("CONTRACTSYNC_SECRETS_DIR", str(secrets))
    assert load_settings().store_url == POSTGRES_WITH_PASSWORD


@pytest.mark.parametrize(
    "make",
    [pytest.param(False, id="missing"), pytest.param(True, id="a-file-not-a-folder")],
)
def test_secrets_dir_must_be_a_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, make: bool
) -> None:
    secrets = tmp_path / "secrets"
    if make:
        secrets.write_text("", encoding="utf-8")
    monkeypatch.setenv("CONTRACTSYNC_SECRETS_DIR", str(secrets))
    with pytest.raises(ConfigurationError, match="is not a folder; create it or unset it"):
        load_settings()


def test_secrets_never_appear_in_repr_or_str(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTRACTSYNC_DATABASE_URL", POSTGRES_WITH_PASSWORD)
    monkeypatch.setenv("CONTRACTSYNC_SYSTEM_DATABASE_URL", POSTGRES_WITH_PASSWORD)
    settings = load_settings()
    for text in (repr(settings), str(settings), f"{settings}", repr(settings.model_dump())):
        assert PASSWORD not in text
    assert "**********" in repr(settings)


# ---- reference ----


def test_settings_reference_lists_every_setting() -> None:
    reference, org_reference = settings_reference().split("## Org settings")
    rows = [line for line in reference.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == list(Settings.model_fields)
    org_rows = [line for line in org_reference.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in org_rows] == list(OrgSettings.model_fields)
    for name, field in Settings.model_fields.items():
        row = next(row for row in rows if row.startswith(f"| `{name}`"))
        assert f"`CONTRACTSYNC_{name.upper()}`" in row
        assert field.description
        assert field.description in row
    assert "| `log_level` | `CONTRACTSYNC_LOG_LEVEL` | `WARNING` |" in reference


def test_org_and_api_secrets_can_be_files_named_like_their_variables(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _write_toml(
        tmp_path / "contractsync.toml",
        '[orgs.emea]\nflow = "password"\nlogin_url = "https://login.salesforce.com"\n'
        'client_id = "id"\nusername = "u@x.io"\nclient_secret = "s3cret"\n',
    )
    with pytest.raises(ConfigurationError) as raised:
        load_settings()
    suggested = re.search(r"a file named (\S+) in CONTRACTSYNC_SECRETS_DIR", str(raised.value))
    assert suggested is not None
    _write_toml(
        tmp_path / "contractsync.toml",
        '[orgs.emea]\nflow = "password"\nlogin_url = "https://login.salesforce.com"\n'
        'client_id = "id"\nusername = "u@x.io"\n',
    )
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / suggested.group(1)).write_text("s3cret", encoding="utf-8")
    (secrets / "contractsync_orgs__emea__password").write_text("pw+token", encoding="utf-8")
    (secrets / "contractsync_api__token").write_text("t" * 20, encoding="utf-8")
    monkeypatch.setenv("CONTRACTSYNC_SECRETS_DIR", str(secrets))

    settings = load_settings()

    emea = settings.orgs["emea"]
    assert emea.client_secret is not None
    assert emea.client_secret.get_secret_value() == "s3cret"
    assert emea.password is not None
    assert emea.password.get_secret_value() == "pw+token"
    assert settings.api.token is not None
    assert settings.api.token.get_secret_value() == "t" * 20


def test_a_leftover_org_secret_does_not_conjure_a_local_org(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "contractsync_orgs__retired__password").write_text("old", encoding="utf-8")
    monkeypatch.setenv("CONTRACTSYNC_SECRETS_DIR", str(secrets))
    with pytest.raises(ConfigurationError, match=r"has a secret \(password\) but no login flow"):
        load_settings()


def test_org_names_are_lower_case(tmp_path: Path) -> None:
    _write_toml(tmp_path / "contractsync.toml", '[orgs.Emea]\nflow = "sandbox"\n')
    with pytest.raises(ConfigurationError, match=r"org name 'Emea' must be lower case.*'emea'"):
        load_settings()
