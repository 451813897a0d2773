"""simple-salesforce 1.12.10, unchanged, against the sandbox org over HTTPS."""

from __future__ import annotations

import datetime as dt
import json
import signal
import subprocess
import sys
from pathlib import Path

import jwt
import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from sandbox_support import Api, FakeClock, new_session
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import (
    SalesforceAuthenticationFailed,
    SalesforceExpiredSession,
    SalesforceMalformedRequest,
)

from contractsync import sandbox
from contractsync.sandbox import SandboxOrg, sandbox_requests_session


@pytest.fixture(scope="module")
def rsa_key() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "jwt")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return private, cert.public_bytes(serialization.Encoding.PEM).decode()


def direct(org: SandboxOrg) -> Salesforce:
    return Salesforce(
        instance_url=org.info.instance_url,
        session_id=org.info.access_token,
        session=new_session(org.info),
    )


def test_public_door_exports() -> None:
    assert set(sandbox.__all__) == {
        "FAMILIES", "FAULTS", "FaultPlan", "FaultRule", "SandboxInfo", "SandboxOrg",
        "SchemaError", "checksum", "normalize_id", "sandbox_requests_session",
    }  # fmt: skip


def test_direct_mode_crud_upsert_query(org: SandboxOrg) -> None:
    sf = direct(org)
    account = sf.Account.create({"Name": "Conformance", "Ext_Id__c": "CONF-1"})
    assert account["success"] is True
    assert (
        sf.Contract.upsert("Ext_Id__c/CONF-C1", {"AccountId": account["id"], "Status": "Draft"})
        == 201
    )
    assert sf.Contract.upsert("Ext_Id__c/CONF-C1", {"Description": "v2"}) == 200
    assert sf.Account.update(account["id"], {"Phone": "1"}) == 204
    assert sf.Account.get_by_custom_id("Ext_Id__c", "CONF-1")["Phone"] == "1"
    rows = sf.query_all("SELECT Id, Account.Name FROM Contract WHERE Ext_Id__c = 'CONF-C1'")
    assert rows["records"][0]["Account"]["Name"] == "Conformance"
    assert sf.Contract.describe()["keyPrefix"] == "800"
    assert sf.limits()["DailyApiRequests"]["Max"] == 15000
    assert sf.api_usage["api-usage"].total == 15000
    with pytest.raises(SalesforceMalformedRequest) as refused:
        sf.Account.create({"Phone": "2"})
    assert refused.value.content[0]["errorCode"] == "REQUIRED_FIELD_MISSING"
    assert sf.Account.delete(account["id"]) == 204


def test_collections_and_composite_via_restful(org: SandboxOrg) -> None:
    sf = direct(org)
    created = sf.restful(
        "composite/sobjects",
        method="POST",
        data=json.dumps(
            {
                "allOrNone": False,
                "records": [
                    {"attributes": {"type": "Account"}, "Name": "Col 1"},
                    {"attributes": {"type": "Account"}},
                ],
            }
        ),
    )
    assert created[0]["success"] is True
    assert created[1] == {
        "success": False,
        "errors": [
            {
                "statusCode": "REQUIRED_FIELD_MISSING",
                "message": "Required fields are missing: [Name]",
                "fields": ["Name"],
            }
        ],
    }
    rolled = sf.restful(
        "composite/sobjects",
        method="POST",
        data=json.dumps(
            {
                "allOrNone": True,
                "records": [
                    {"attributes": {"type": "Account"}, "Name": "Rolled Back"},
                    {"attributes": {"type": "Account"}, "Name": "x" * 300},
                ],
            }
        ),
    )
    assert rolled[0]["errors"][0]["statusCode"] == "ALL_OR_NONE_OPERATION_ROLLED_BACK"
    assert rolled[1]["errors"][0]["statusCode"] == "STRING_TOO_LONG"
    assert sf.query("SELECT Id FROM Account WHERE Name = 'Rolled Back'")["totalSize"] == 0

    upserted = sf.restful(
        "composite/sobjects/Account/Ext_Id__c",
        method="PATCH",
        data=json.dumps(
            {"records": [{"attributes": {"type": "Account"}, "Ext_Id__c": "COL-U", "Name": "U"}]}
        ),
    )
    assert upserted[0]["created"] is True
    deleted = sf.restful(
        "composite/sobjects",
        method="DELETE",
        params={"ids": f"{created[0]['id']},001000000000000AAA"},
    )
    assert deleted[0] == {"id": created[0]["id"], "success": True, "errors": []}
    assert deleted[1]["errors"][0]["statusCode"] == "INVALID_CROSS_REFERENCE_KEY"

    composite = sf.restful(
        "composite",
        method="POST",
        data=json.dumps(
            {
                "allOrNone": True,
                "compositeRequest": [
                    {
                        "method": "POST",
                        "url": "/services/data/v59.0/sobjects/Account",
                        "referenceId": "acc",
                        "body": {"Name": "Comp"},
                    },
                    {
                        "method": "POST",
                        "url": "/services/data/v59.0/sobjects/Contract",
                        "referenceId": "con",
                        "body": {"AccountId": "@{acc.id}", "Status": "Bogus"},
                    },
                ],
            }
        ),
    )["compositeResponse"]
    assert composite[0]["body"][0]["errorCode"] == "PROCESSING_HALTED"
    assert composite[1]["httpStatusCode"] == 400
    assert composite[1]["body"][0]["errorCode"] == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
    assert sf.query("SELECT Id FROM Account WHERE Name = 'Comp'")["totalSize"] == 0

    independent = sf.restful(
        "composite",
        method="POST",
        data=json.dumps(
            {
                "compositeRequest": [
                    {
                        "method": "POST",
                        "url": "/services/data/v59.0/sobjects/Account",
                        "referenceId": "bad",
                        "body": {},
                    },
                    {
                        "method": "GET",
                        "url": "/services/data/v59.0/sobjects/Account/@{bad.id}",
                        "referenceId": "dep",
                    },
                    {
                        "method": "POST",
                        "url": "/services/data/v59.0/sobjects/Account",
                        "referenceId": "ok",
                        "body": {"Name": "Kept"},
                    },
                    {
                        "method": "GET",
                        "url": (
                            "/services/data/v59.0/query/?q=SELECT+Name+FROM+Account+WHERE+Id='@{ok.id}'"
                        ),
                        "referenceId": "q",
                    },
                ]
            }
        ),
    )["compositeResponse"]
    assert [r["httpStatusCode"] for r in independent] == [400, 400, 201, 200]
    assert independent[1]["body"][0]["errorCode"] == "PROCESSING_HALTED"
    assert independent[2]["httpHeaders"]["Location"].startswith(
        "/services/data/v59.0/sobjects/Account/"
    )
    assert independent[3]["body"]["records"][0]["Name"] == "Kept"


def test_login_flows(org: SandboxOrg, rsa_key: tuple[str, str]) -> None:
    info = org.info
    session = sandbox_requests_session(info)
    soap = Salesforce(
        username=info.username, password=info.password, security_token="", session=session
    )
    assert soap.sf_instance == info.instance_url.removeprefix("https://")
    oauth = Salesforce(
        username=info.username, password=info.password,
        consumer_key=info.client_id, consumer_secret=info.client_secret, session=session,
    )  # fmt: skip
    credentials = Salesforce(
        consumer_key=info.client_id,
        consumer_secret=info.client_secret,
        domain="sandbox.my",
        session=session,
    )
    private, certificate = rsa_key
    org.add_jwt_certificate(certificate)
    bearer = Salesforce(
        username=info.username, consumer_key=info.client_id, privatekey=private, session=session
    )
    for sf in (soap, oauth, credentials, bearer):
        assert sf.query("SELECT Id FROM User")["totalSize"] >= 1
    with pytest.raises(SalesforceAuthenticationFailed) as failed:
        Salesforce(username=info.username, password="wrong", security_token="", session=session)
    assert failed.value.code == "INVALID_LOGIN"
    with pytest.raises(SalesforceAuthenticationFailed) as refused:
        Salesforce(username=info.username, password="wrong", consumer_key=info.client_id,
                   consumer_secret=info.client_secret, session=session)  # fmt: skip
    assert (refused.value.code, refused.value.content) == (
        "invalid_grant",
        b"authentication failure",
    )
    session.close()


@pytest.mark.parametrize(
    ("claims", "error", "description"),
    [
        pytest.param(
            {"aud": "https://evil.example"}, "invalid_grant", "audience is invalid", id="audience"
        ),
        pytest.param({"exp": 1}, "invalid_grant", "expired authorization code", id="expired"),
        pytest.param(
            {"iss": "someone"}, "invalid_client_id", "client identifier invalid", id="issuer"
        ),
        pytest.param(
            {"sub": "nobody@example.com"}, "invalid_grant", "user hasn't approved this consumer",
            id="subject",
        ),
    ],
)  # fmt: skip
def test_jwt_claims_are_checked(  # noqa: PLR0917 - pytest passes parameters positionally
    org: SandboxOrg,
    api: Api,
    rsa_key: tuple[str, str],
    claims: dict[str, object],
    error: str,
    description: str,
) -> None:
    private, certificate = rsa_key
    org.add_jwt_certificate(certificate)
    payload = {"iss": org.info.client_id, "sub": org.info.username, "aud": "https://login.salesforce.com",
               "exp": int(dt.datetime.now(dt.UTC).timestamp()) + 180} | claims  # fmt: skip
    response = api.session.post(
        api.url("/services/oauth2/token"),
        data={
            "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
            "assertion": jwt.encode(payload, private, algorithm="RS256"),
        },
        timeout=10,
    )
    assert response.status_code == 400
    assert response.json() == {"error": error, "error_description": description}


def test_jwt_signed_by_an_unregistered_key_is_refused(org: SandboxOrg, api: Api) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    payload = {"iss": org.info.client_id, "sub": org.info.username,
               "aud": "https://login.salesforce.com",
               "exp": int(dt.datetime.now(dt.UTC).timestamp()) + 180}  # fmt: skip
    response = api.session.post(
        api.url("/services/oauth2/token"),
        data={
            "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
            "assertion": jwt.encode(payload, stranger, algorithm="RS256"),
        },
        timeout=10,
    )
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_grant", "error_description": "invalid assertion"}


def test_query_all_follows_next_records_url_across_pages(org: SandboxOrg) -> None:
    sf = direct(org)
    for start in (0, 200, 400):
        created = sf.restful(
            "composite/sobjects",
            method="POST",
            json={"records": [{"attributes": {"type": "Account"}, "Name": f"QA {i:03d}"}
                              for i in range(start, min(start + 200, 450))]},
        )  # fmt: skip
        assert all(r["success"] for r in created)
    before = sf.api_usage["api-usage"].used
    rows = sf.query_all(
        "SELECT Name FROM Account WHERE Name LIKE 'QA %' ORDER BY Name",
        headers={"Sforce-Query-Options": "batchSize=200"},
    )
    assert rows["totalSize"] == 450
    assert rows["done"] is True
    assert [r["Name"] for r in rows["records"]] == [f"QA {i:03d}" for i in range(450)]
    # Three pages, three API calls: the query and two nextRecordsUrl follow-ups.
    assert sf.api_usage["api-usage"].used - before == 3


def test_soap_login_refused_from_v65(api: Api) -> None:
    response = api.session.post(api.url("/services/Soap/u/65.0"), data=b"<x/>", timeout=10)
    assert response.status_code == 500
    assert "<sf:exceptionCode>UNSUPPORTED_API_VERSION</sf:exceptionCode>" in response.text


def test_identity_and_userinfo(api: Api) -> None:
    info = api.info
    identity = api.call("GET", f"/id/{info.org_id}/{info.user_id}").json()
    assert (identity["user_id"], identity["organization_id"], identity["username"]) == (
        info.user_id,
        info.org_id,
        info.username,
    )
    userinfo = api.call("GET", "/services/oauth2/userinfo").json()
    assert userinfo["preferred_username"] == info.username


def test_session_expiry_and_daily_limit(clocked: tuple[SandboxOrg, Api], clock: FakeClock) -> None:
    org, api = clocked
    token = org.new_access_token()
    assert api.call("GET", "limits", token=token).status_code == 200
    clock.advance(minutes=3)
    expired = api.call("GET", "limits", token=token)
    assert expired.status_code == 401
    assert expired.json() == [
        {"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}
    ]
    sf = Salesforce(instance_url=org.info.instance_url, session_id=token, session=api.session)
    with pytest.raises(SalesforceExpiredSession):
        sf.limits()
    fresh = org.new_access_token()
    for _ in range(4):
        assert api.call("GET", "limits", token=fresh).status_code == 200
    refused = api.call("GET", "limits", token=fresh)
    assert refused.status_code == 403
    assert refused.json() == [
        {"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}
    ]
    assert refused.headers["Sforce-Limit-Info"] == "api-usage=5/5"
    clock.advance(hours=24)
    fresh = org.new_access_token()
    assert api.call("GET", "limits", token=fresh).headers["Sforce-Limit-Info"] == "api-usage=1/5"


def test_faults_are_deterministic_and_switchable(clocked: tuple[SandboxOrg, Api]) -> None:
    org, api = clocked
    org.set_daily_api_limit(1000)

    def run() -> list[int]:
        org.set_faults("seed=3,rest:unavailable=0.5")
        return [
            api.call("GET", "sobjects/Account/001000000000000AAA").status_code for _ in range(12)
        ]

    first, second = run(), run()
    assert first == second
    assert set(first) == {503, 404}
    put = api.call(
        "PUT", "/__sandbox__/faults", json={"spec": "seed=1,rest:unknown_after_commit=1"}
    )
    assert put.status_code == 200
    response = api.call("POST", "sobjects/Account/", json={"Name": "Committed"})
    assert response.status_code == 500
    assert response.json()[0]["errorCode"] == "UNKNOWN_EXCEPTION"
    api.call("PUT", "/__sandbox__/faults", json={"rules": []})
    assert (
        api.call(
            "GET", "query/", params={"q": "SELECT Id FROM Account WHERE Name = 'Committed'"}
        ).json()["totalSize"]
        == 1
    )
    org.set_faults("composite:lock=1")
    locked = api.call(
        "POST",
        "composite/sobjects",
        json={"records": [{"attributes": {"type": "Account"}, "Name": "L"}]},
    )
    assert locked.json()[0]["errors"][0]["statusCode"] == "UNABLE_TO_LOCK_ROW"
    org.set_faults("rest:concurrent=1")
    busy = api.call("GET", "sobjects/Account/001000000000000AAA")
    assert busy.status_code == 403
    assert (
        busy.json()[0]["message"] == "ConcurrentRequests (Concurrent API Requests) Limit exceeded."
    )


def test_state_survives_restart(tmp_path: Path) -> None:
    data = tmp_path / "org.sqlite"
    with SandboxOrg(data) as first:
        first.add_custom_field(
            "Account", {"name": "Ext_Id__c", "type": "string", "externalId": True}
        )
        sf = direct(first)
        record = sf.Account.create({"Name": "Persisted", "Ext_Id__c": "P-1"})["id"]
        token, ca = first.info.access_token, first.info.ca_bundle
    with SandboxOrg(data) as second:
        assert (second.info.access_token, second.info.ca_bundle) == (token, ca)
        assert direct(second).Account.get_by_custom_id("Ext_Id__c", "P-1")["Id"] == record


def test_plain_http_mode() -> None:
    with SandboxOrg(http=True) as org:
        assert org.info.instance_url.startswith("http://")
        assert org.info.ca_bundle is None
        response = requests.get(org.info.instance_url + "/services/data/", timeout=10)
        assert response.status_code == 200


_SERVE = "from contractsync.cli import run; run()"  # the `contractsync` console script
_INFO_KEYS = {
    "instance_url", "login_url", "api_version", "access_token", "username", "password",
    "client_id", "client_secret", "ca_bundle", "org_id", "user_id",
}  # fmt: skip


def _serve(data: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _SERVE, "sandbox", "serve", "--json", "--data", str(data), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=data.parent,
    )


def _first_line(process: subprocess.Popen[str]) -> dict[str, str]:
    assert process.stdout is not None
    try:
        return dict(json.loads(process.stdout.readline()))
    except BaseException:
        process.kill()
        process.wait(timeout=10)
        raise


def _terminate(process: subprocess.Popen[str]) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=20)
    return process.returncode, err


def test_cli_serve_json_sigterm_and_restart(tmp_path: Path) -> None:
    data = tmp_path / "org.sqlite"
    first = _serve(data, "--daily-api-limit", "500", "--api-version", "60.0")
    info = _first_line(first)
    try:
        assert set(info) == _INFO_KEYS
        assert info["instance_url"].startswith("https://")
        assert info["api_version"] == "60.0"
        assert Path(info["ca_bundle"]).is_file()
        with sandbox_requests_session(sandbox.SandboxInfo(**info)) as session:
            sf = Salesforce(
                username=info["username"], password=info["password"],
                consumer_key=info["client_id"], consumer_secret=info["client_secret"],
                session=session, version="60.0",
            )  # fmt: skip
            record = sf.Account.create({"Name": "Survives restarts"})["id"]
            assert sf.limits()["DailyApiRequests"]["Max"] == 500
    finally:
        code, err = _terminate(first)
    assert (code, err) == (0, "")
    second = _serve(data)
    again = _first_line(second)
    try:
        assert again["ca_bundle"] == info["ca_bundle"]
        assert again["access_token"] == info["access_token"]
        with sandbox_requests_session(sandbox.SandboxInfo(**again)) as session:
            sf = Salesforce(
                instance_url=again["instance_url"], session_id=again["access_token"],
                session=session,
            )  # fmt: skip
            assert sf.Account.get(record)["Name"] == "Survives restarts"
    finally:
        code, err = _terminate(second)
    assert (code, err) == (0, "")


def test_pytest_plugin_fixture(
    sandbox_org: sandbox.SandboxInfo, sandbox_session: requests.Session
) -> None:
    sf = Salesforce(
        instance_url=sandbox_org.instance_url,
        session_id=sandbox_org.access_token,
        session=sandbox_session,
    )
    assert sf.describe() is not None
    assert set(sandbox_org.to_json()) == _INFO_KEYS
    me = sf.query(f"SELECT Username FROM User WHERE Id = '{sandbox_org.user_id}'")["records"]
    assert [row["Username"] for row in me] == [sandbox_org.username]
