"""The org client over real HTTPS against the sandbox org: logins, upserts, retries, limits."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr

from contractsync.errors import ApiAllowanceExhausted, PermanentSyncError, RetryableSyncError
from contractsync.salesforce import (
    AccessTokenAuth,
    ClientCredentialsAuth,
    OrgClient,
    PasswordAuth,
    RetryPolicy,
)
from contractsync.sandbox import SandboxOrg

KEY_FIELD = "CS_Key__c"


class MovableClock:
    """The sandbox org's clock, moved forward by tests (never the wall clock's pace)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture(scope="module")
def org(clock: MovableClock) -> Iterator[SandboxOrg]:
    with SandboxOrg(clock=clock) as sandbox:
        sandbox.add_custom_field(
            "Account",
            {"name": KEY_FIELD, "type": "string", "length": 80, "externalId": True, "unique": True},
        )
        yield sandbox


@pytest.fixture
def no_sleep() -> RetryPolicy:
    slept: list[float] = []
    return RetryPolicy(attempts=8, base_s=0.01, cap_s=0.05, sleep=slept.append)


def _client(org: SandboxOrg, retry: RetryPolicy | None = None) -> OrgClient:
    info = org.info
    auth = PasswordAuth(
        login_url=info.login_url,
        client_id=info.client_id,
        client_secret=SecretStr(info.client_secret),
        username=info.username,
        password=SecretStr(info.password),
    )
    return OrgClient("sandbox", auth, ca_bundle=info.ca_bundle, retry=retry)


@pytest.fixture
def client(org: SandboxOrg, no_sleep: RetryPolicy) -> Iterator[OrgClient]:
    org.set_faults("")
    org.reset_api_usage()
    org.set_daily_api_limit(15000)
    client = _client(org, no_sleep)
    yield client
    client.close()


def test_upsert_creates_then_updates_by_external_id(client: OrgClient) -> None:
    created = client.upsert("Account", KEY_FIELD, "ACC-1", {"Name": "Acme"})
    updated = client.upsert("Account", KEY_FIELD, "ACC-1", {"Name": "Acme Corp"})

    assert (created.success, created.created) == (True, True)
    assert (updated.success, updated.created) == (True, False)
    assert created.sf_id == updated.sf_id
    assert str(created.sf_id).startswith("001")
    rows = client.query_all(f"SELECT Id, Name FROM Account WHERE {KEY_FIELD} = 'ACC-1'")
    assert [row["Name"] for row in rows] == ["Acme Corp"]


def test_a_rejected_record_is_a_failed_result_with_field_errors(client: OrgClient) -> None:
    result = client.upsert("Account", KEY_FIELD, "ACC-NONAME", {"Name": None})
    assert not result.success
    assert result.errors[0].code == "REQUIRED_FIELD_MISSING"
    assert result.errors[0].fields == ("Name",)


def test_keys_with_url_characters_are_encoded(client: OrgClient) -> None:
    result = client.upsert("Account", KEY_FIELD, "ACC/2?x#y %", {"Name": "Odd key"})
    assert result.success
    rows = client.query_all(f"SELECT Name FROM Account WHERE {KEY_FIELD} = 'ACC/2?x#y %'")
    assert [row["Name"] for row in rows] == ["Odd key"]


def test_collections_upsert_reports_each_record(client: OrgClient) -> None:
    records = [(f"BATCH-{n}", {"Name": f"Batch {n}"}) for n in range(5)]
    records.append(("BATCH-BAD", {"Name": "x" * 300}))

    results = client.upsert_collection("Account", KEY_FIELD, records)

    assert [r.key for r in results] == [key for key, _ in records]
    assert all(r.success and r.created for r in results[:5])
    assert results[5].error_codes == ("STRING_TOO_LONG",)
    assert results[5].errors[0].fields == ("Name",)
    again = client.upsert_collection("Account", KEY_FIELD, records[:5])
    assert all(r.success and not r.created for r in again)


def test_transient_faults_are_retried_until_delivered(org: SandboxOrg, client: OrgClient) -> None:
    org.set_faults("seed=3,rest:unavailable=0.3,rest:concurrent=0.2,composite:lock=0.3")
    results = [
        client.upsert("Account", KEY_FIELD, f"FLAKY-{n}", {"Name": f"F{n}"}) for n in range(20)
    ]
    batch = client.upsert_collection(
        "Account", KEY_FIELD, [(f"FLAKY-B{n}", {"Name": f"B{n}"}) for n in range(50)]
    )
    org.set_faults("")

    assert all(r.success for r in results + batch)
    count = client.query_all(f"SELECT Id FROM Account WHERE {KEY_FIELD} LIKE 'FLAKY-%'")
    assert len(count) == 70


def test_retries_give_up_with_a_retryable_error(org: SandboxOrg) -> None:
    client = _client(org, RetryPolicy(attempts=3, base_s=0.0, cap_s=0.0, sleep=lambda _: None))
    org.set_faults("rest:unavailable=1.0")
    try:
        with pytest.raises(
            RetryableSyncError, match="still failing after 3 attempts: SERVER_UNAVAILABLE"
        ):
            client.upsert("Account", KEY_FIELD, "NEVER", {"Name": "Never"})
    finally:
        org.set_faults("")
        client.close()


def test_an_expired_session_logs_in_again_once(clock: MovableClock, client: OrgClient) -> None:
    client.upsert("Account", KEY_FIELD, "SESSION-1", {"Name": "Before"})
    clock.now += timedelta(hours=3)  # past the org's two-hour session timeout
    result = client.upsert("Account", KEY_FIELD, "SESSION-1", {"Name": "After"})
    assert result.success


def test_an_expired_token_that_cannot_be_renewed_says_what_to_do(org: SandboxOrg) -> None:
    info = org.info
    client = OrgClient(
        "token-only",
        AccessTokenAuth(info.instance_url, SecretStr("00Dxx0000000000!bogus")),
        ca_bundle=info.ca_bundle,
    )
    try:
        with pytest.raises(PermanentSyncError, match="cannot be renewed"):
            client.upsert("Account", KEY_FIELD, "T-1", {"Name": "x"})
    finally:
        client.close()


def test_a_refused_login_names_the_salesforce_error(org: SandboxOrg) -> None:
    info = org.info
    client = OrgClient(
        "bad-secret",
        ClientCredentialsAuth(info.login_url, info.client_id, SecretStr("wrong")),
        ca_bundle=info.ca_bundle,
    )
    try:
        with pytest.raises(PermanentSyncError, match=r"refused the login.*invalid_client"):
            client.describe("Account")
    finally:
        client.close()


def test_usage_is_tracked_and_the_reserve_is_kept(org: SandboxOrg, client: OrgClient) -> None:
    client.describe("Account", refresh=True)
    usage = client.limits.usage
    assert usage is not None
    assert (usage.used >= 1, usage.total) == (True, 15000)

    org.set_daily_api_limit(usage.used + 2)
    client.describe("Account", refresh=True)  # the header now reports the tighter allowance
    with pytest.raises(ApiAllowanceExhausted, match="allowance less the reserve"):
        client.describe("Account", refresh=True)


def test_a_spent_daily_allowance_pauses_instead_of_retrying(org: SandboxOrg) -> None:
    client = _client(org, RetryPolicy(attempts=5, base_s=0.0, cap_s=0.0, sleep=lambda _: None))
    client.limits.reserve_fraction = 0.0
    try:
        client.describe("Account")
        usage = client.limits.usage
        assert usage is not None
        org.set_daily_api_limit(usage.used)
        client.limits.observe(None)
        with pytest.raises(ApiAllowanceExhausted):
            client.query_all("SELECT Id FROM Account LIMIT 1")
    finally:
        org.set_daily_api_limit(15000)
        client.close()
