"""Salesforce's own CLI (``sf``, ``@salesforce/cli``), unchanged, against the sandbox org.

The CLI logs in with an access token (``sf org login access-token``: OpenID userinfo, then
the User record, then the Organization and Tooling queries it uses to describe the org),
then drives the org the way a developer would: ``org display``/``list``, record CRUD, SOQL
(with the ``columns=true`` layout call behind its table output), Bulk 2.0 import, upsert,
delete and export, sObject Tree import/export, ``api request rest``, limits, describe and
Metadata API deploys of a small SFDX project (source format and a converted metadata
directory, also as a check-only deploy). Each command runs with ``--json`` where it has one
and this test checks what it printed.

The CLI is installed with ``npm ci`` from the committed lock file into ``sf/node_modules``
(git-ignored; about 290 MB, ~35 s from the registry, ~15 s from a warm npm cache) and
reused while the lock file is unchanged. Without Node.js >= 20 or npm, or when the install
fails or takes over 5 minutes (no network, no cache), the test is skipped with the reason;
it never fails for that. It runs with a throw-away HOME, so it never reads or writes the
user's CLI config, and with telemetry, update checks and auto-update switched off.

``@salesforce/cli`` is pinned to 2.146.3, the newest release whose ``engines`` still accept
Node.js 18-20 (from 2.148 it needs Node.js >= 22). Its own dependency range lets npm pick
``@jsforce/jsforce-node`` >= 3.10.17, whose undici 8 does not load on Node.js 20, so
``package.json`` overrides that one transitive dependency to 3.10.16 (the last release for
Node.js 18-20; same API). The CLI's own code is untouched.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from contractsync.sandbox import SandboxInfo, SandboxOrg

pytestmark = pytest.mark.slow

_SF_DIR = Path(__file__).parent / "sf"
_SF_BIN = _SF_DIR / "node_modules" / ".bin"
_STAMP = _SF_DIR / "node_modules" / ".contractsync-lock-sha256"
_INSTALL_TIMEOUT_S = 300
_COMMAND_TIMEOUT_S = 180
_ALIAS = "sandbox"


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"SKIPPED sf CLI conformance: `{name}` is not installed (needs Node.js >= 20)")
    return found


def _node_major(node: str) -> int:
    version = subprocess.run(
        [node, "--version"], capture_output=True, text=True, timeout=30, check=True
    ).stdout
    return int(version.strip().lstrip("v").split(".")[0])


def _install_sf() -> None:
    """``npm ci`` unless node_modules already holds this lock file's packages.

    Serialised by a file lock: pytest-xdist may run this module next to the jsforce one,
    or two sessions may share the checkout.
    """
    with (_SF_DIR / ".npm-ci.lock").open("w") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        try:
            _npm_ci()
        finally:
            fcntl.flock(guard, fcntl.LOCK_UN)


def _npm_ci() -> None:
    lock = hashlib.sha256((_SF_DIR / "package-lock.json").read_bytes()).hexdigest()
    if _STAMP.is_file() and _STAMP.read_text().strip() == lock and (_SF_BIN / "sf").exists():
        return
    npm = _tool("npm")
    try:
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline"],
            cwd=_SF_DIR,
            capture_output=True,
            text=True,
            timeout=_INSTALL_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.skip(
            f"SKIPPED sf CLI conformance: `npm ci` of @salesforce/cli took over"
            f" {_INSTALL_TIMEOUT_S} s (no network?)"
        )
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        pytest.skip(
            "SKIPPED sf CLI conformance: `npm ci` failed in tests/sandbox/sf (no network or"
            " registry?): " + " | ".join(tail)
        )
    _STAMP.write_text(lock)


@dataclass
class _Cli:
    """Runs ``sf`` against one sandbox org with an isolated HOME."""

    info: SandboxInfo
    home: Path
    work: Path
    env: dict[str, str] = field(default_factory=dict)

    def run(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [str(_SF_BIN / "sf"), *args],
            cwd=self.work,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=_COMMAND_TIMEOUT_S,
            check=False,
        )
        if ok:
            assert done.returncode == 0, (
                f"sf {' '.join(args)} exited {done.returncode}\n"
                f"stdout: {done.stdout[-3000:]}\nstderr: {done.stderr[-3000:]}"
            )
        return done

    def json(self, *args: str, ok: bool = True) -> dict[str, Any]:
        """``sf <args> --json``: the parsed envelope (``status``, ``result``, ``warnings``)."""
        done = self.run(*args, "--json", ok=ok)
        envelope: dict[str, Any] = json.loads(done.stdout)
        if ok:
            assert envelope["status"] == 0, envelope
        return envelope

    def result(self, *args: str) -> Any:
        return self.json(*args)["result"]


def _environment(info: SandboxInfo, home: Path) -> dict[str, str]:
    assert info.ca_bundle is not None
    return {
        # node_modules/.bin first: the CLI spawns `sf` itself for some checks.
        "PATH": os.pathsep.join([str(_SF_BIN), os.environ.get("PATH", "")]),
        # All CLI state (~/.sf, ~/.sfdx, ~/.config/sf, ~/.cache/sf) goes here.
        "HOME": str(home),
        "SF_ACCESS_TOKEN": info.access_token,
        # Node reads extra trusted CAs at start-up only, from this variable.
        "NODE_EXTRA_CA_CERTS": info.ca_bundle,
        "SF_DISABLE_TELEMETRY": "true",
        "SFDX_DISABLE_TELEMETRY": "true",
        "SF_AUTOUPDATE_DISABLE": "true",
        "SFDX_AUTOUPDATE_DISABLE": "true",
        "SF_SKIP_NEW_VERSION_CHECK": "true",
        "SF_USE_GENERIC_UNIX_KEYCHAIN": "true",
        "SF_DISABLE_LOG_FILE": "true",
        "NO_COLOR": "1",
        "FORCE_COLOR": "0",
    }


def _write_project(root: Path) -> None:
    """An SFDX project: a custom object with a field, and an external id on Account."""
    (root / "sfdx-project.json").write_text(
        json.dumps(
            {
                "packageDirectories": [{"path": "force-app", "default": True}],
                "sourceApiVersion": "62.0",
            }
        )
    )
    objects = root / "force-app" / "main" / "default" / "objects"
    invoice = objects / "Invoice__c"
    (invoice / "fields").mkdir(parents=True)
    (objects / "Account" / "fields").mkdir(parents=True)
    namespace = 'xmlns="http://soap.sforce.com/2006/04/metadata"'
    (invoice / "Invoice__c.object-meta.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<CustomObject {namespace}>\n'
        "    <deploymentStatus>Deployed</deploymentStatus>\n"
        "    <label>Invoice</label>\n"
        "    <nameField><label>Invoice Name</label><type>Text</type></nameField>\n"
        "    <pluralLabel>Invoices</pluralLabel>\n"
        "    <sharingModel>ReadWrite</sharingModel>\n"
        "</CustomObject>\n"
    )
    (invoice / "fields" / "Amount__c.field-meta.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<CustomField {namespace}>\n'
        "    <fullName>Amount__c</fullName>\n"
        "    <label>Amount</label>\n"
        "    <precision>16</precision>\n"
        "    <scale>2</scale>\n"
        "    <type>Number</type>\n"
        "</CustomField>\n"
    )
    (objects / "Account" / "fields" / "Ext_Id__c.field-meta.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<CustomField {namespace}>\n'
        "    <fullName>Ext_Id__c</fullName>\n"
        "    <externalId>true</externalId>\n"
        "    <label>External Id</label>\n"
        "    <length>40</length>\n"
        "    <type>Text</type>\n"
        "    <unique>true</unique>\n"
        "</CustomField>\n"
    )


@pytest.fixture(scope="module")
def sf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Cli]:
    """A fresh sandbox org with the ``sf`` CLI logged in to it as the default org."""
    node = _tool("node")
    if _node_major(node) < 20:
        pytest.skip("SKIPPED sf CLI conformance: @salesforce/cli 2.146 here needs Node.js >= 20")
    _install_sf()
    root = tmp_path_factory.mktemp("sf-cli")
    home = root / "home"
    work = root / "project"
    home.mkdir()
    work.mkdir()
    _write_project(work)
    with SandboxOrg() as org:
        cli = _Cli(org.info, home, work, _environment(org.info, home))
        yield cli


@pytest.fixture(scope="module")
def login(sf: _Cli) -> dict[str, Any]:
    result: dict[str, Any] = sf.result(
        "org", "login", "access-token",
        "--instance-url", sf.info.instance_url,
        "--no-prompt", "--alias", _ALIAS, "--set-default",
    )  # fmt: skip
    return result


@pytest.fixture(scope="module")
def deployed(sf: _Cli, login: dict[str, Any]) -> dict[str, Any]:
    """``project deploy start --source-dir``: Invoice__c, its Amount__c, Account.Ext_Id__c."""
    result: dict[str, Any] = sf.result(
        "project", "deploy", "start", "--source-dir", "force-app", "--wait", "5"
    )
    return result


def test_login_with_access_token(sf: _Cli, login: dict[str, Any]) -> None:
    info = sf.info
    assert login["username"] == info.username
    assert login["orgId"] == info.org_id
    # The CLI keeps the URL as `new URL(...)` prints it, with a trailing slash; every later
    # call then goes to //services/data/..., which the org must (and does) accept.
    assert login["instanceUrl"].rstrip("/") == info.instance_url
    assert login["isDevHub"] is False


def test_org_display_and_list(sf: _Cli, login: dict[str, Any]) -> None:
    info = sf.info
    display = sf.result("org", "display")
    assert display["id"] == info.org_id
    assert display["username"] == info.username
    assert display["apiVersion"] == info.api_version
    assert display["connectedStatus"] == "Connected"
    assert display["alias"] == _ALIAS
    listed = sf.result("org", "list")
    [entry] = listed["other"]
    assert entry["orgId"] == info.org_id
    assert entry["connectedStatus"] == "Connected"
    # From the Organization query the login ran (Name, InstanceName, IsSandbox, ...).
    assert entry["name"] == "contractsync sandbox org"
    assert entry["orgEdition"] == "Developer Edition"
    assert entry["instanceName"] == "SBX1"
    assert entry["isSandbox"] is False
    assert listed["sandboxes"] == []
    user = sf.result("org", "display", "user")
    assert user["id"] == info.user_id
    assert user["orgId"] == info.org_id
    assert user["username"] == info.username
    assert user["profileName"] == "System Administrator"


def test_record_crud_and_query(sf: _Cli, login: dict[str, Any]) -> None:
    created = sf.result("data", "create", "record", "--sobject", "Account", "--values", "Name=Acme")
    assert created["success"] is True
    record_id = created["id"]
    assert record_id.startswith("001")
    assert len(record_id) == 18

    query = "SELECT Id, Name FROM Account WHERE Name = 'Acme'"
    queried = sf.result("data", "query", "--query", query)
    assert queried["totalSize"] == 1
    assert queried["done"] is True
    assert [(r["Id"], r["Name"]) for r in queried["records"]] == [(record_id, "Acme")]
    # Without --json the CLI asks the org for the query's columns (?columns=true) to lay
    # out its table, including a parent relationship and a child subquery.
    table = sf.run(
        "data", "query", "--query",
        "SELECT Id, Name, Owner.Name, (SELECT LastName FROM Contacts) FROM Account"
        " WHERE Name = 'Acme'",
    ).stdout  # fmt: skip
    header = next(line for line in table.splitlines() if "NAME" in line)
    assert [cell.strip() for cell in header.strip("│┃| ").split("│")] == [
        "ID", "NAME", "OWNER.NAME", "CONTACTS.LASTNAME",
    ]  # fmt: skip
    assert "Sandbox Admin" in table
    assert "Total number of records retrieved: 1." in table

    updated = sf.result(
        "data", "update", "record", "--sobject", "Account", "--record-id", record_id,
        "--values", "Name='Acme Corp' Phone=555-0100",
    )  # fmt: skip
    assert updated == {"id": record_id, "success": True, "errors": []}
    fetched = sf.result("data", "get", "record", "--sobject", "Account", "--record-id", record_id)
    assert (fetched["Name"], fetched["Phone"]) == ("Acme Corp", "555-0100")
    assert fetched["attributes"]["type"] == "Account"

    by_where = sf.result(
        "data", "update", "record", "--sobject", "Account", "--where", "Name='Acme Corp'",
        "--values", "Website=acme.example",
    )  # fmt: skip
    assert by_where["id"] == record_id

    deleted = sf.result(
        "data", "delete", "record", "--sobject", "Account", "--record-id", record_id
    )
    assert deleted["success"] is True
    missing = sf.json(
        "data", "get", "record", "--sobject", "Account", "--record-id", record_id, ok=False
    )
    assert missing["status"] == 1
    assert missing["name"] == "ENTITY_IS_DELETED"  # in the recycle bin, as on an org


def test_metadata_deploys(sf: _Cli, deployed: dict[str, Any]) -> None:
    assert deployed["status"] == "Succeeded"
    assert deployed["success"] is True
    assert deployed["checkOnly"] is False
    assert deployed["numberComponentsDeployed"] == 3
    components = {
        (c["componentType"], c["fullName"]) for c in deployed["details"]["componentSuccesses"]
    }
    assert {
        ("CustomObject", "Invoice__c"),
        ("CustomField", "Invoice__c.Amount__c"),
        ("CustomField", "Account.Ext_Id__c"),
    } <= components
    # The deployed schema is live: describe shows it and records can use it.
    described = sf.result("sobject", "describe", "--sobject", "Invoice__c")
    assert described["custom"] is True
    fields = {f["name"]: f for f in described["fields"]}
    assert fields["Amount__c"]["type"] == "double"
    assert (fields["Amount__c"]["precision"], fields["Amount__c"]["scale"]) == (16, 2)
    invoice = sf.result(
        "data", "create", "record", "--sobject", "Invoice__c",
        "--values", "Name=INV-1 Amount__c=12.5",
    )  # fmt: skip
    assert invoice["success"] is True
    listed = sf.result("org", "list", "metadata", "--metadata-type", "CustomObject")
    assert "Invoice__c" in {entry["fullName"] for entry in listed}

    # The same project converted offline to a metadata directory, deployed check-only.
    sf.result("project", "convert", "source", "--root-dir", "force-app", "--output-dir", "mdapi")
    assert (sf.work / "mdapi" / "package.xml").is_file()
    dry = sf.result(
        "project", "deploy", "start", "--metadata-dir", "mdapi", "--dry-run", "--wait", "5"
    )
    assert dry["status"] == "Succeeded"
    assert dry["checkOnly"] is True


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def test_bulk_import_upsert_delete_and_export(sf: _Cli, deployed: dict[str, Any]) -> None:
    work = sf.work
    _write_csv(
        work / "accounts.csv",
        ["Name", "Ext_Id__c", "Phone"],
        [["Bulk One", "B-1", "111"], ["Bulk Two", "B-2", "222"], ["Bulk Three", "B-3", "333"]],
    )
    imported = sf.result(
        "data", "import", "bulk", "--sobject", "Account", "--file", "accounts.csv", "--wait", "5"
    )
    assert imported["processedRecords"] == 3
    assert imported["successfulRecords"] == 3
    assert imported["failedRecords"] == 0
    assert imported["jobId"].startswith("750")

    _write_csv(
        work / "upsert.csv", ["Ext_Id__c", "Name"], [["B-1", "Bulk One v2"], ["B-4", "Bulk Four"]]
    )
    upserted = sf.result(
        "data", "upsert", "bulk", "--sobject", "Account", "--file", "upsert.csv",
        "--external-id", "Ext_Id__c", "--wait", "5",
    )  # fmt: skip
    assert upserted["jobInfo"]["state"] == "JobComplete"
    assert upserted["jobInfo"]["operation"] == "upsert"
    assert upserted["jobInfo"]["externalIdFieldName"] == "Ext_Id__c"
    successes = {r["Ext_Id__c"]: r for r in upserted["records"]["successfulResults"]}
    assert {key: r["sf__Created"] for key, r in successes.items()} == {
        "B-1": "false",
        "B-4": "true",
    }
    assert upserted["records"]["failedResults"] == []

    exported_csv = work / "accounts-out.csv"
    exported = sf.result(
        "data", "export", "bulk", "--query",
        "SELECT Id, Name, Ext_Id__c FROM Account WHERE Ext_Id__c != null ORDER BY Ext_Id__c",
        "--output-file", exported_csv.name, "--result-format", "csv", "--wait", "5",
    )  # fmt: skip
    assert exported["totalSize"] == 4
    with exported_csv.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["Ext_Id__c"], r["Name"]) for r in rows] == [
        ("B-1", "Bulk One v2"),
        ("B-2", "Bulk Two"),
        ("B-3", "Bulk Three"),
        ("B-4", "Bulk Four"),
    ]

    by_key = {r["Ext_Id__c"]: r["Id"] for r in rows}
    _write_csv(work / "update.csv", ["Id", "Phone"], [[by_key["B-2"], "999"]])
    bulk_updated = sf.result(
        "data", "update", "bulk", "--sobject", "Account", "--file", "update.csv", "--wait", "5"
    )
    assert bulk_updated["successfulRecords"] == 1
    _write_csv(work / "delete.csv", ["Id"], [[by_key["B-3"]], [by_key["B-4"]]])
    bulk_deleted = sf.result(
        "data", "delete", "bulk", "--sobject", "Account", "--file", "delete.csv", "--wait", "5"
    )
    assert bulk_deleted["jobInfo"]["operation"] == "delete"
    assert bulk_deleted["jobInfo"]["numberRecordsProcessed"] == 2
    assert bulk_deleted["records"]["failedResults"] == []

    left = sf.result(
        "data", "query", "--query",
        "SELECT Ext_Id__c, Phone FROM Account WHERE Ext_Id__c != null ORDER BY Ext_Id__c",
    )  # fmt: skip
    assert [(r["Ext_Id__c"], r["Phone"]) for r in left["records"]] == [
        ("B-1", "111"),
        ("B-2", "999"),
    ]


def test_tree_export_and_import(sf: _Cli, login: dict[str, Any]) -> None:
    for name in ("Tree One", "Tree Two"):
        sf.result("data", "create", "record", "--sobject", "Account", "--values", f"Name='{name}'")
    sf.result(
        "data", "export", "tree", "--query",
        "SELECT Name FROM Account WHERE Name LIKE 'Tree %' ORDER BY Name",
        "--output-dir", "tree",
    )  # fmt: skip
    plan = json.loads((sf.work / "tree" / "Account.json").read_text())
    assert [r["Name"] for r in plan["records"]] == ["Tree One", "Tree Two"]
    for record in plan["records"]:
        record["Name"] = record["Name"].replace("Tree", "Copy")
    (sf.work / "tree" / "Account.json").write_text(json.dumps(plan))
    imported = sf.result("data", "import", "tree", "--files", "tree/Account.json")
    assert [(r["refId"], r["type"]) for r in imported] == [
        ("AccountRef1", "Account"),
        ("AccountRef2", "Account"),
    ]
    assert all(r["id"].startswith("001") for r in imported)


def test_api_request_limits_and_tooling(sf: _Cli, login: dict[str, Any]) -> None:
    raw = sf.run("api", "request", "rest", f"/services/data/v{sf.info.api_version}/limits")
    limits = json.loads(raw.stdout)
    assert limits["DailyApiRequests"]["Max"] == 15000
    assert 0 < limits["DailyApiRequests"]["Remaining"] < 15000
    posted = sf.run(
        "api", "request", "rest", f"/services/data/v{sf.info.api_version}/sobjects/Contact",
        "--method", "POST", "--body", json.dumps({"LastName": "Via API"}),
    )  # fmt: skip
    assert json.loads(posted.stdout)["success"] is True

    listed = sf.result("org", "list", "limits")
    by_name = {entry["name"]: entry for entry in listed}
    assert by_name["DailyApiRequests"]["max"] == 15000
    assert "DailyBulkV2QueryJobs" in by_name

    described = sf.result("sobject", "describe", "--sobject", "Account")
    assert described["name"] == "Account"
    assert described["keyPrefix"] == "001"
    assert "Account" in sf.result("sobject", "list")

    # The org models no Tooling API types: a tooling query fails as an org's does for a
    # type it does not expose (the CLI's login relies on that for SandboxProcess).
    tooling = sf.json(
        "data", "query", "--use-tooling-api", "--query", "SELECT Id FROM ApexClass", ok=False
    )
    assert tooling["status"] == 1
    assert tooling["name"] == "INVALID_TYPE"
    assert "sObject type 'ApexClass' is not supported." in tooling["message"]
