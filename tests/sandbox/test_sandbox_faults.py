"""Fault injection: hung requests end at the client's timeout and never hold the server."""

from __future__ import annotations

import threading
import time

import pytest
import requests
from sandbox_support import Api, new_session

from contractsync.sandbox import FAULTS, FaultPlan, SandboxOrg
from contractsync.sandbox._faults import FaultInjector

_MISSING = "sobjects/Account/001000000000000AAA"


def _wait_until_hanging(api: Api, count: int) -> None:
    deadline = time.monotonic() + 10
    while api.call("GET", "/__sandbox__/faults").json()["hanging"] != count:
        assert time.monotonic() < deadline, f"never saw {count} hung request(s)"
        time.sleep(0.01)


def test_hang_is_a_fault_kind() -> None:
    assert "hang" in FAULTS
    plan = FaultPlan.parse("seed=4,rest:hang=0.5")
    assert plan.to_json()["rules"] == [{"family": "rest", "fault": "hang", "rate": 0.5}]


def test_hung_request_ends_at_the_client_timeout(clocked: tuple[SandboxOrg, Api]) -> None:
    org, api = clocked
    org.set_daily_api_limit(100)
    org.set_faults("rest:hang=1")
    started = time.monotonic()
    with pytest.raises(requests.ReadTimeout):
        api.call("GET", _MISSING, timeout=0.3)
    assert time.monotonic() - started < 5
    # Other families answer meanwhile, and the hung call was never run nor counted.
    limits = api.call("GET", "limits")
    assert limits.status_code == 200
    assert limits.headers["Sforce-Limit-Info"] == "api-usage=1/100"
    _wait_until_hanging(api, 0)
    org.set_faults("")
    assert api.call("GET", _MISSING).status_code == 404


def test_hang_is_switchable_through_the_admin_endpoint(clocked: tuple[SandboxOrg, Api]) -> None:
    org, api = clocked
    org.set_daily_api_limit(100)
    put = api.call("PUT", "/__sandbox__/faults", json={"spec": "seed=2,query:hang=1"})
    assert put.status_code == 200
    with pytest.raises(requests.ReadTimeout):
        api.call("GET", "query/", params={"q": "SELECT Id FROM Account"}, timeout=0.3)
    api.call("PUT", "/__sandbox__/faults", json={"rules": []})
    assert api.call("GET", "query/", params={"q": "SELECT Id FROM Account"}).status_code == 200


def test_stopping_the_org_releases_hung_requests() -> None:
    org = SandboxOrg(faults="*:hang=1").start()
    session = new_session(org.info)
    api = Api(org.info, session)
    outcome: list[BaseException | int] = []

    def call() -> None:
        try:
            outcome.append(api.call("GET", "limits", timeout=60).status_code)
        except requests.RequestException as error:
            outcome.append(error)

    clients = [threading.Thread(target=call) for _ in range(2)]
    for client in clients:
        client.start()
    try:
        _wait_until_hanging(api, 2)
    finally:
        started = time.monotonic()
        org.stop()
        stopped_in = time.monotonic() - started
        for client in clients:
            client.join(timeout=10)
        session.close()
    assert stopped_in < 5
    assert len(outcome) == 2
    assert all(isinstance(o, requests.ConnectionError) for o in outcome), outcome


def test_latency_and_jitter_follow_the_seed() -> None:
    injector = FaultInjector(FaultPlan.parse("seed=3,latency=100,jitter=50"))
    delays = [injector.delay_seconds() for _ in range(20)]
    assert all(0.1 <= d <= 0.15 for d in delays)
    assert len(set(delays)) > 1
    injector.configure(FaultPlan.parse("seed=3,latency=100,jitter=50"))
    assert [injector.delay_seconds() for _ in range(20)] == delays
    # Latency settings have their own random stream: they never shift which calls fail.
    draws = []
    for spec in ("seed=9,rest:unavailable=0.5", "seed=9,latency=5,jitter=5,rest:unavailable=0.5"):
        injector.configure(FaultPlan.parse(spec))
        draws.append([(injector.delay_seconds(), injector.draw("rest"))[1] for _ in range(30)])
    assert draws[0] == draws[1]
    assert set(draws[0]) == {None, "unavailable"}


def test_latency_delays_every_call(clocked: tuple[SandboxOrg, Api]) -> None:
    org, api = clocked
    org.set_faults("latency=150")
    started = time.monotonic()
    assert api.call("GET", "limits").status_code == 200
    assert time.monotonic() - started >= 0.15
    org.set_faults("")


def test_auth_family_faults_hit_the_token_endpoint(clocked: tuple[SandboxOrg, Api]) -> None:
    org, api = clocked
    form = {
        "grant_type": "client_credentials",
        "client_id": org.info.client_id,
        "client_secret": org.info.client_secret,
    }
    org.set_faults("auth:unavailable=1")
    refused = api.session.post(api.url("/services/oauth2/token"), data=form, timeout=10)
    assert refused.status_code == 503
    assert refused.json() == [{"message": "Server unavailable", "errorCode": "SERVER_UNAVAILABLE"}]
    org.set_faults("auth:hang=1")
    with pytest.raises(requests.ReadTimeout):
        api.session.post(api.url("/services/oauth2/token"), data=form, timeout=0.3)
    # Other families are untouched.
    assert api.call("GET", "limits").status_code == 200
    org.set_faults("")
    granted = api.session.post(api.url("/services/oauth2/token"), data=form, timeout=10)
    assert granted.status_code == 200
    assert granted.json()["access_token"]
