"""Scheduled syncs, inbound polls and reconciliations: the schedules the settings ask for,
and the worker's engine running them against the sandbox org."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from dbos import DBOS, SetEnqueueOptions
from sync_support import password_org

from contractsync.context import App
from contractsync.durable import durable_engine
from contractsync.errors import ConfigurationError
from contractsync.mapping import default_mapping_path
from contractsync.model import Contract
from contractsync.sandbox import SandboxOrg
from contractsync.settings import OrgSettings, load_settings
from contractsync.sync import (
    ScheduledJob,
    apply_schedules,
    configured_jobs,
    org_queue,
    org_registry,
    queued_runs,
)
from contractsync.sync._schedule import sync_day
from contractsync.sync._workflow import sync_org_workflow

APPROVED = {"state": "auto_approved"}
ADMIN_EMAIL = "admin@sandbox.contractsync.invalid"
EVERY_SECOND = "* * * * * *"


def test_the_settings_name_one_schedule_per_org_and_job(tmp_path: Path) -> None:
    settings = load_settings(
        data_dir=tmp_path,
        orgs={
            "emea": {"schedule": {"sync": "*/15 * * * *", "reconcile": "0 3 * * *",
                                  "reconcile_policy": "restore", "timezone": "Europe/Berlin"}},
            "us": {"schedule": {"inbound": "*/5 * * * *"}},
            "quiet": {},
        },
    )  # fmt: skip

    jobs = configured_jobs(settings)

    assert [(job.name, job.cron, job.policy) for job in jobs] == [
        ("contractsync.emea.sync", "*/15 * * * *", None),
        ("contractsync.emea.reconcile", "0 3 * * *", "restore"),
        ("contractsync.us.inbound", "*/5 * * * *", None),
    ]
    # 03:00 in Berlin is 02:00 UTC in winter and 01:00 UTC in summer.
    nightly = jobs[1]
    assert nightly.next_runs(datetime(2026, 11, 28, 12, tzinfo=UTC), 1) == [
        datetime(2026, 11, 29, 2, tzinfo=UTC)
    ]
    assert nightly.next_runs(datetime(2026, 7, 1, 12, tzinfo=UTC), 1) == [
        datetime(2026, 7, 2, 1, tzinfo=UTC)
    ]


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        pytest.param({"sync": "every day"}, "schedule.sync 'every day' is not a cron", id="cron"),
        pytest.param({"inbound": "61 * * * *"}, "schedule.inbound", id="out-of-range"),
        pytest.param({"timezone": "Mars/Olympus"}, "not an IANA time zone", id="timezone"),
        pytest.param({"reconcile_policy": "merge"}, "reconcile_policy", id="policy"),
        pytest.param({"nightly": "0 3 * * *"}, "nightly", id="unknown-job"),
    ],
)
def test_a_bad_schedule_is_refused_naming_the_setting(
    tmp_path: Path, schedule: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigurationError, match=message):
        load_settings(data_dir=tmp_path, orgs={"emea": {"schedule": schedule}})


# ---- the engine running the schedules ----


def _org(packaged_org: SandboxOrg, mapping: Path, **schedule: str) -> OrgSettings:
    return password_org(
        packaged_org,
        mapping=mapping,
        schedule=schedule,
    )


@pytest.fixture
def mapping(tmp_path: Path) -> Path:
    """The default mapping with the Contract's start date taken from Salesforce."""
    data = yaml.safe_load(default_mapping_path().read_text(encoding="utf-8"))
    contract = next(obj for obj in data["objects"] if obj["name"] == "contract")
    contract["fields"]["StartDate"]["inbound"] = "salesforce-wins"
    path = tmp_path / "mapping.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.fixture
def open_app(store_url: str, tmp_path: Path) -> Iterator[Callable[..., App]]:
    opened: list[App] = []

    def open_with(**orgs: OrgSettings) -> App:
        settings = load_settings(data_dir=tmp_path / "data", database_url=store_url, orgs=orgs)
        opened.append(App.open(settings))
        return opened[-1]

    yield open_with
    for app in opened:
        app.close()


def _wait_for(what: str, check: Callable[[], Any], timeout_s: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_the_worker_syncs_and_polls_on_schedule_and_drops_schedules_no_longer_set(
    packaged_org: SandboxOrg,
    mapping: Path,
    open_app: Callable[..., App],
    make_contract: Callable[..., Contract],
) -> None:
    org = _org(packaged_org, mapping, sync=EVERY_SECOND, inbound=EVERY_SECOND)
    app = open_app(test=org)
    app.contracts.create(
        make_contract(
            "C-1",
            effective_date={"value": "2026-01-01", "review": APPROVED},
            account={"key": "ACC-1", "name": "Acme"},
            owners={"account_manager": {"email": ADMIN_EMAIL}},
        ),
        actor="t",
        reason="new",
    )
    client = org_registry(app).client("test")

    def contract_row() -> dict[str, Any] | None:
        rows = client.query_all("SELECT StartDate FROM Contract WHERE CS_Key__c = 'C-1'")
        return rows[0] if rows else None

    with durable_engine(app):
        changes = apply_schedules(app)
        assert [job.name for job in changes.applied] == [
            "contractsync.test.sync",
            "contractsync.test.inbound",
        ]
        row = _wait_for("the scheduled sync", contract_row)
        assert row["StartDate"] == "2026-01-01"
        delivered = [
            entry for entry in app.audit.entries(entity_key="C-1") if entry.action == "sync.created"
        ]
        assert {entry.actor for entry in delivered} == {"contractsync:scheduler"}

        # Someone moves the start date in Salesforce: the next poll takes it in.
        client.upsert("Contract", "CS_Key__c", "C-1", {"StartDate": "2026-02-01"})

        def taken_in() -> bool:
            stored = app.contracts.get("C-1").contract
            return stored.effective_date is not None and stored.effective_date.value == date(
                2026, 2, 1
            )

        _wait_for("the scheduled inbound poll", taken_in)
        assert app.contracts.history("C-1")[-1].actor == "salesforce:test"

        # The org's schedule is emptied: the worker's next start removes what was stored.
        quiet = open_app(test=_org(packaged_org, mapping))
        removed = apply_schedules(quiet)
        assert removed.applied == ()
        assert sorted(removed.removed) == ["contractsync.test.inbound", "contractsync.test.sync"]
        assert DBOS.list_schedules(schedule_name_prefix="contractsync.") == []


def test_a_scheduled_job_is_a_value_that_knows_its_next_runs() -> None:
    job = ScheduledJob("emea", "inbound", "*/5 * * * *", "UTC")

    assert job.next_runs(datetime(2026, 11, 28, 12, 1, tzinfo=UTC), 3) == [
        datetime(2026, 11, 28, 12, minute, tzinfo=UTC) for minute in (5, 10, 15)
    ]


def test_queued_syncs_are_counted_without_launching_the_engine(
    packaged_org: SandboxOrg, mapping: Path, open_app: Callable[..., App]
) -> None:
    app = open_app(test=_org(packaged_org, mapping))
    assert queued_runs(app, ["test"]) == {"test": 0}  # no engine has ever run here

    with durable_engine(app):
        org_queue("test", concurrency=1, calls_per_second=None)
        with SetEnqueueOptions(delay_seconds=3600):
            handle = DBOS.enqueue_workflow(
                "sync-test", sync_org_workflow, "test", None, "2026-11-28", "tester"
            )
        assert queued_runs(app, ["test"]) == {"test": 1}
        DBOS.cancel_workflow(handle.get_workflow_id())

    assert queued_runs(app, ["test"]) == {"test": 0}


def test_a_scheduled_sync_runs_for_the_utc_day_whatever_the_schedules_zone() -> None:
    half_past_midnight_in_berlin = datetime(2026, 1, 2, 0, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    assert sync_day(half_past_midnight_in_berlin) == date(2026, 1, 1)
    naive = datetime(2026, 1, 2, 0, 30)  # noqa: DTZ001 - what an untimed schedule would give
    assert sync_day(naive) == date(2026, 1, 2)
