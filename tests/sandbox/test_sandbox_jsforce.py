"""jsforce (Node.js), unchanged, against the sandbox org over HTTPS: a client in another language.

``js/conformance.js`` drives jsforce through SOAP and OAuth password logins, CRUD, upsert by
external id, parent references, errors, paged queries, describe, limits, collections,
composite and Bulk 2.0; it prints what it saw as JSON and this test checks it. jsforce is
installed with ``npm ci`` from the committed lock file into ``js/node_modules`` (git-ignored)
and reused while the lock file is unchanged. Without Node.js or npm, or when the install
fails (no network, no cache), the test is skipped with the reason; it never fails for that.

jsforce is pinned to 3.10.16, the newest 3.x that runs on Node.js 18-20: from 3.10.19 it
depends on undici 8, which needs Node.js >= 22.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from contractsync.sandbox import SandboxOrg

pytestmark = pytest.mark.slow

_JS = Path(__file__).parent / "js"
_STAMP = _JS / "node_modules" / ".contractsync-lock-sha256"


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"SKIPPED jsforce conformance: `{name}` is not installed (needs Node.js >= 18)")
    return found


def _install_jsforce() -> None:
    """``npm ci`` unless node_modules already holds this lock file's packages.

    Serialised by a file lock: pytest-xdist may run this module's tests in two workers.
    """
    with (_JS / ".npm-ci.lock").open("w") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        try:
            _npm_ci()
        finally:
            fcntl.flock(guard, fcntl.LOCK_UN)


def _npm_ci() -> None:
    lock = hashlib.sha256((_JS / "package-lock.json").read_bytes()).hexdigest()
    if _STAMP.is_file() and _STAMP.read_text().strip() == lock:
        return
    npm = _tool("npm")
    try:
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline"],
            cwd=_JS,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.skip("SKIPPED jsforce conformance: `npm ci` took over 180 s (no network?)")
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        pytest.skip(
            "SKIPPED jsforce conformance: `npm ci` failed in tests/sandbox/js (no network or"
            " registry?): " + " | ".join(tail)
        )
    _STAMP.write_text(lock)


def _node_major(node: str) -> int:
    version = subprocess.run(
        [node, "--version"], capture_output=True, text=True, timeout=30, check=True
    ).stdout
    return int(version.strip().lstrip("v").split(".")[0])


@pytest.fixture(scope="module")
def jsforce_run() -> dict[str, Any]:
    node = _tool("node")
    if _node_major(node) < 18:
        pytest.skip("SKIPPED jsforce conformance: jsforce 3 needs Node.js >= 18")
    _install_jsforce()
    with SandboxOrg() as org:
        org.add_custom_field(
            "Account",
            {"name": "Ext_Id__c", "type": "string", "length": 40, "externalId": True,
             "unique": True},
        )  # fmt: skip
        info = org.info
        assert info.ca_bundle is not None
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": os.environ.get("HOME", str(_JS)),
            "SANDBOX_INFO": json.dumps(info.to_json()),
            # Node reads extra trusted CAs at start-up only, from this variable.
            "NODE_EXTRA_CA_CERTS": info.ca_bundle,
        }
        done = subprocess.run(
            [node, str(_JS / "conformance.js")],
            cwd=_JS,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        seen: dict[str, Any] = json.loads(done.stdout)
        seen["info"] = info.to_json()
        return seen


def test_logins_by_soap_and_oauth_password(jsforce_run: dict[str, Any]) -> None:
    info = jsforce_run["info"]
    logins = jsforce_run["logins"]
    for flow in ("soap", "oauth"):
        assert logins[flow]["userId"] == info["user_id"]
        assert logins[flow]["orgId"] == info["org_id"]
        assert logins[flow]["instanceUrl"] == info["instance_url"]
    assert logins["oauth"]["hasToken"] is True
    assert logins["soapQuery"] == logins["oauthQuery"] == 1
    assert logins["badPassword"]["message"] == (
        "INVALID_LOGIN: Invalid username, password, security token; or user locked out."
    )
    assert jsforce_run["identity"] == {"userId": info["user_id"], "orgId": info["org_id"]}


def test_crud_and_upsert_by_external_id(jsforce_run: dict[str, Any]) -> None:
    crud = jsforce_run["crud"]
    assert crud["created"] == {"success": True, "idLength": 18, "errors": []}
    assert crud["fetched"] == {"Name": "JS Account", "type": "Account"}
    assert crud["updated"]["success"] is True
    assert crud["inserted"] == {"success": True, "created": True}
    assert crud["matched"] == {"success": True, "created": False}
    assert crud["byExtId"]["Name"] == "JS Upserted 2"
    assert crud["childAccountId"] == crud["byExtId"]["Id"]
    assert crud["destroyed"]["success"] is True
    assert crud["gone"] == {
        "name": "ENTITY_IS_DELETED",
        "errorCode": "ENTITY_IS_DELETED",
        "message": "entity is deleted",
    }


def test_errors_surface_as_jsforce_errors(jsforce_run: dict[str, Any]) -> None:
    errors = jsforce_run["errors"]
    expected = {
        "required": ("REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]"),
        "notFound": ("NOT_FOUND", "The requested resource does not exist"),
        "unknownObject": ("NOT_FOUND", "The requested resource does not exist"),
        "expiredSession": ("INVALID_SESSION_ID", "Session expired or invalid"),
    }
    for key, (code, message) in expected.items():
        assert errors[key] == {"name": code, "errorCode": code, "message": message}, key
    assert errors["duplicate"]["errorCode"] == "DUPLICATE_VALUE"
    assert errors["duplicate"]["message"].startswith(
        "duplicate value found: Ext_Id__c duplicates value on record with id: 001"
    )
    assert errors["badQuery"]["errorCode"] == "INVALID_FIELD"
    assert "No such column 'Nope__c' on entity 'Account'" in errors["badQuery"]["message"]
    assert errors["malformedQuery"]["errorCode"] == "MALFORMED_QUERY"
    assert errors["malformedQuery"]["message"].endswith("unexpected token: 'SELEC'")


def test_queries_page_with_batch_size(jsforce_run: dict[str, Any]) -> None:
    queries = jsforce_run["queries"]
    assert queries["collectionCreates"] == [200, 200, 50]
    assert queries == queries | {
        "pages": 3,
        "totalSize": 450,
        "fetched": 450,
        "first": "JS Page 000",
        "last": "JS Page 449",
    }


def test_describe_and_limits(jsforce_run: dict[str, Any]) -> None:
    describes = jsforce_run["describes"]
    assert describes["hasAccount"] is True
    assert describes["contractPrefix"] == "800"
    assert describes["statusType"] == "picklist"
    assert describes["statusValues"] == ["Activated", "Draft", "In Approval Process"]
    assert describes["dailyApiMax"] == 15000
    usage = describes["limitInfo"]["apiUsage"]
    assert usage["limit"] == 15000
    assert 0 < usage["used"] < 100


def test_collections_and_composite(jsforce_run: dict[str, Any]) -> None:
    collections = jsforce_run["collections"]
    assert collections["created"][:2] == [{"success": True, "errors": []}] * 2
    assert collections["created"][2] == {
        "success": False,
        "errors": [
            {
                "statusCode": "REQUIRED_FIELD_MISSING",
                "message": "Required fields are missing: [Name]",
                "fields": ["Name"],
            }
        ],
    }
    assert collections["updated"] == [True, True]
    assert collections["upserted"] == [
        {"success": True, "created": True},
        {"success": True, "created": False},
    ]
    assert collections["retrieved"] == ["42", "42"]
    assert collections["destroyed"] == [True, True]
    assert collections["rolledBack"] == [
        ["ALL_OR_NONE_OPERATION_ROLLED_BACK"],
        ["REQUIRED_FIELD_MISSING"],
    ]
    assert collections["rolledBackCount"] == 0
    assert jsforce_run["composite"] == [201, 200]


def test_bulk2_ingest_and_query(jsforce_run: dict[str, Any]) -> None:
    bulk = jsforce_run["bulk"]
    assert bulk["inserted"] == {
        "successful": 120,
        "failed": ["REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --"],
        "unprocessed": 0,
        "createdFlag": "true",
    }
    assert bulk["upserted"] == ["false", "true"]
    assert bulk["upsertFailed"] == 0
    assert bulk["queried"] == 121
