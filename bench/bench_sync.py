"""Benchmark the sync engine against the sandbox org with injected latency per API call.

    .venv/bin/python bench/bench_sync.py [--contracts 10000] [--latency-ms 50]

Everything runs in this process: a temporary data folder, a SQLite store, the durable
engine (DBOS, SQLite) and the sandbox org with the package installed, every API call
delayed by ``--latency-ms`` and no faults. Figures (written to bench/results/sync.json):

1. Store load: ``ContractRepository.create`` per contract (one transaction and audit entry
   each), timed apart from everything else.
2. Initial sync of all contracts, the channel chosen by volume (Bulk API 2.0 above the
   threshold): API calls per 1,000 contracts against the floor, ``ceil(n/200)`` calls per
   object sent by collections, a fixed number per Bulk job (create, upload, close, one
   poll, the successful results; failed and unprocessed results are read only when the
   job's counters say rows failed or were left).
3. A change to 1,000 contracts (title), sent by collections: calls against the same floor.
4. The naive baseline: one simple-salesforce upsert per record, on a subset, its time per
   call extrapolated to the calls the whole initial sync would need; the speed-up is that
   estimate over the engine's measured time.
5. Re-syncs of unchanged contracts (a different selection; new versions that change only
   unmapped fields; the very same run again): reads and writes counted separately.
6. Event-to-Salesforce latency: a contract is changed (a new version) and synced alone,
   timed from the version's commit to the sync's return, ``--latency-runs`` times.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import requests
from dbos import DBOS
from pydantic import SecretStr
from simple_salesforce.api import Salesforce

from contractsync.context import App
from contractsync.durable import durable_engine
from contractsync.mapping import Mapping, desired_records
from contractsync.model import Contract
from contractsync.package import install_in_sandbox
from contractsync.salesforce import COLLECTION_LIMIT, JOB_RECORDS, OrgClient
from contractsync.sandbox import SandboxOrg
from contractsync.settings import OrgSettings, load_settings
from contractsync.store import Database
from contractsync.sync import Channel, choose_channel, org_registry, plan_org, start_sync

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = ROOT / "bench" / "results" / "sync.json"
ORG = "bench"
ACTOR = "bench"
TODAY = date(2026, 11, 28)
ADMIN_EMAIL = "admin@sandbox.contractsync.invalid"
APPROVED = {"state": "auto_approved"}
CONTRACTS_PER_ACCOUNT = 4
OBLIGATIONS_PER_CONTRACT = 2
ACTIVE_EVERY = 4
"""Every 4th contract is active: created Draft, then activated (a second write)."""
BULK_JOB_FLOOR = 5
"""Calls of a Bulk job at best: create, upload, close, one poll, the successful results."""


# ---- the contracts ----


def build_contract(key: str, n: int) -> Contract:
    """A contract like the ones people sync: shared account, owner, two obligations."""
    account = n // CONTRACTS_PER_ACCOUNT
    return Contract.model_validate(
        {
            "contract_key": key,
            "title": f"Subscription agreement {key}",
            "contract_type": "subscription",
            "status": "active" if n % ACTIVE_EVERY == 0 else "draft",
            "region": ("EMEA", "AMER", "APAC")[n % 3],
            "account": {"key": f"ACC-{account:06d}", "name": f"Account {account}"},
            "owners": {"account_manager": {"email": ADMIN_EMAIL}},
            "effective_date": {"value": f"2025-{1 + n % 12:02d}-01", "review": APPROVED},
            "initial_term": {"value": {"months": 12 * (1 + n % 3)}, "review": APPROVED},
            "auto_renew": {"value": n % 2 == 0, "review": APPROVED},
            "renewal_notice_period": {"value": {"days": 30 + n % 60}, "review": APPROVED},
            "total_value": {
                "value": {"amount": str(1000 + n), "currency": "EUR"},
                "review": APPROVED,
            },
            "obligations": [
                {
                    "value": {
                        "key": f"OB-{i}",
                        "kind": "reporting" if i == 0 else "payment",
                        "description": f"Obligation {i} of {key}",
                    },
                    "review": APPROVED,
                }
                for i in range(OBLIGATIONS_PER_CONTRACT)
            ],
        }
    )


def load_store(app: App, count: int, *, prefix: str = "C") -> tuple[list[str], float]:
    started = time.perf_counter()
    keys = []
    for n in range(count):
        key = f"{prefix}-{n:06d}"
        app.contracts.create(build_contract(key, n), actor=ACTOR, reason="bench")
        keys.append(key)
    return keys, time.perf_counter() - started


def edit(app: App, keys: list[str], changes: Callable[[Contract], dict[str, Any]]) -> None:
    for key in keys:
        current = app.contracts.get(key)
        changed = current.contract.with_changes(changes(current.contract))
        app.contracts.update(changed, expected_version=current.version, actor=ACTOR, reason="b")


# ---- the org ----


def org_settings(org: SandboxOrg) -> OrgSettings:
    info = org.info
    return OrgSettings(
        flow="password",
        login_url=info.login_url,
        client_id=info.client_id,
        client_secret=SecretStr(info.client_secret),
        username=info.username,
        password=SecretStr(info.password),
        ca_bundle=Path(info.ca_bundle) if info.ca_bundle else None,
    )


def simple_salesforce(org: SandboxOrg) -> Salesforce:
    session = requests.Session()
    session.trust_env = False  # REQUESTS_CA_BUNDLE would override the org's CA
    session.verify = org.info.ca_bundle or True
    return Salesforce(
        instance_url=org.info.instance_url, session_id=org.info.access_token, session=session
    )


# ---- counting calls ----


@dataclass
class CallTally:
    """Every call the org client makes, by kind and object (wraps ``OrgClient._call``)."""

    kinds: Counter[str] = field(default_factory=Counter)
    by_object: Counter[str] = field(default_factory=Counter)
    _bulk_sobject: str = ""

    def record(self, what: str) -> None:
        words = what.split()
        if words[0] == "bulk":
            if words[1] == "job":
                self._bulk_sobject = words[2]
            kind, sobject = f"bulk {words[1]}", self._bulk_sobject
        elif words[0] == "upsert" and words[1].isdigit():
            kind, sobject = "collection upsert", words[2]
        elif words[0] == "upsert":
            kind, sobject = "rest upsert", words[1]
        elif words[0] == "delete":
            kind, sobject = "delete", words[1]
        else:
            kind, sobject = " ".join(words[:2]) if words[0] == "query" else words[0], "-"
        self.kinds[kind] += 1
        self.by_object[f"{sobject} {kind}"] += 1

    @property
    def writes(self) -> int:
        return sum(n for kind, n in self.kinds.items() if _is_write(kind))

    @property
    def reads(self) -> int:
        return sum(n for kind, n in self.kinds.items() if not _is_write(kind))

    def figures(self) -> dict[str, Any]:
        return {
            "writes": self.writes,
            "reads": self.reads,
            "kinds": dict(sorted(self.kinds.items())),
            "by_object": dict(sorted(self.by_object.items())),
        }


def _is_write(kind: str) -> bool:
    """Bulk job calls count as writes (they are the job), polls and result reads included."""
    return kind.startswith(("bulk", "collection", "rest", "delete"))


@contextmanager
def counting(client: OrgClient) -> Iterator[CallTally]:
    tally = CallTally()
    original = client._call
    before = client.calls

    def counted(what: str, call: Callable[[Any], Any], **kwargs: Any) -> Any:
        tally.record(what)
        return original(what, call, **kwargs)

    client._call = counted  # type: ignore[method-assign]
    try:
        yield tally
    finally:
        client._call = original  # type: ignore[method-assign]
    retries = client.calls - before - sum(tally.kinds.values())
    if retries:
        tally.kinds["retried attempts"] += retries


# ---- the floor ----


def planned_floor(app: App, keys: list[str] | None) -> dict[str, Any]:
    """The plan the engine will follow, and the fewest calls that could deliver it."""
    registry = org_registry(app)
    stored = [app.contracts.get(key) for key in keys] if keys else app.contracts.all()
    plan = plan_org(app, registry, ORG, stored, today=TODAY)
    threshold = registry.settings_for(ORG).bulk_threshold
    objects: dict[str, Any] = {}
    activations = 0
    for _name, writes in plan.by_object():
        sobject = writes[0].record.sobject
        channel = choose_channel(len(writes), bulk_threshold=threshold)
        if channel is Channel.BULK:
            floor = BULK_JOB_FLOOR * math.ceil(len(writes) / JOB_RECORDS)
        else:
            floor = math.ceil(len(writes) / COLLECTION_LIMIT)
        objects[sobject] = {"records": len(writes), "channel": channel.value, "floor": floor}
        activations += sum(
            1
            for write in writes
            if write.action == "create"
            and any(write.record.fields.get(k, v) != v for k, v in write.record.create_with.items())
        )
    changed = len({write.record.contract_key for write in plan.writes})
    floor_calls = sum(obj["floor"] for obj in objects.values())
    # Contracts can only be created in Draft: activating them is a second write, at best
    # ceil(n/200) collections calls, or one more Bulk job when that is fewer calls.
    activation_floor = min(math.ceil(activations / COLLECTION_LIMIT), BULK_JOB_FLOOR)
    return {
        "changed_contracts": changed,
        "objects": objects,
        "floor_calls": floor_calls,
        "records": sum(obj["records"] for obj in objects.values()),
        "second_writes": activations,
        "floor_calls_with_activation": floor_calls + activation_floor,
    }


def sync(keys: list[str] | None, *, today: date = TODAY) -> tuple[dict[str, Any], float]:
    started = time.perf_counter()
    summary = start_sync(ORG, keys, today=today, actor=ACTOR)
    return summary, time.perf_counter() - started


def measured_sync(app: App, keys: list[str] | None) -> dict[str, Any]:
    """One sync with its plan's floor and the calls it really made."""
    floor = planned_floor(app, keys)
    with counting(org_registry(app).client(ORG)) as tally:
        summary, seconds = sync(keys)
    if summary["status"] != "complete":
        raise SystemExit(f"sync ended {summary['status']}: {summary}")
    calls = tally.writes + tally.reads
    per_thousand = 1000 / max(floor["changed_contracts"], 1)
    return {
        "seconds": round(seconds, 2),
        "seconds_by_step": step_times(summary["run_id"], seconds),
        "planned": summary["planned"],
        "delivered": summary["delivered"],
        **floor,
        "calls": tally.figures(),
        "calls_per_1000_contracts": round(calls * per_thousand, 2),
        "floor_per_1000_contracts": round(floor["floor_calls"] * per_thousand, 2),
        "ratio_to_floor": _ratio(calls, floor["floor_calls"]),
        "write_ratio_to_floor": _ratio(tally.writes, floor["floor_calls"]),
        "ratio_to_floor_with_activation": _ratio(calls, floor["floor_calls_with_activation"]),
    }


def step_times(run_id: str, seconds: float) -> dict[str, float]:
    """Where a sync's time went: its workflow's steps, from the durable engine's records,
    and the rest (start_sync choosing the run, the queue, waiting for the result)."""
    spent: dict[str, float] = {}
    for step in DBOS.list_workflow_steps(run_id) or []:
        started, completed = step["started_at_epoch_ms"], step["completed_at_epoch_ms"]
        if started is not None and completed is not None:
            name = step["function_name"].removeprefix("contractsync.")
            spent[name] = spent.get(name, 0.0) + (completed - started) / 1000
    figures: dict[str, float] = {name: round(value, 2) for name, value in sorted(spent.items())}
    figures["outside steps"] = round(seconds - sum(spent.values()), 2)
    return figures


def _ratio(calls: int, floor: int) -> float | None:
    return round(calls / floor, 3) if floor else None


# ---- the naive baseline ----


def naive_loop(org: SandboxOrg, mapping: Mapping, records: int) -> dict[str, Any]:
    """One simple-salesforce upsert per record (and a second to activate a contract), for
    contracts built like the benchmark's, until ``records`` records are sent.

    Generous to the loop: the owner is looked up once, and each shared account is sent once.
    """
    sf = simple_salesforce(org)
    owner = sf.query(f"SELECT Id FROM User WHERE Email = '{ADMIN_EMAIL}'")["records"][0]["Id"]  # noqa: S608 - a constant
    calls = sent = n = 0
    accounts: set[str] = set()
    started = time.perf_counter()
    while sent < records:
        contract = build_contract(f"NAIVE-{n:06d}", n)
        n += 1
        for record in desired_records(contract, mapping, today=TODAY):
            if record.sobject == "Account" and record.key in accounts:
                continue
            accounts.add(record.key)
            body = record.body(owner_id=owner if record.owner else None)
            first = {**body, **record.create_with}
            sobject = getattr(sf, record.sobject)
            sobject.upsert(f"{record.external_id_field}/{record.key}", first)
            calls += 1
            if first != body:
                sobject.upsert(f"{record.external_id_field}/{record.key}", body)
                calls += 1
            sent += 1
    elapsed = time.perf_counter() - started
    return {
        "contracts": n,
        "records": sent,
        "calls": calls,
        "seconds": round(elapsed, 2),
        "seconds_per_call": round(elapsed / calls, 4),
    }


# ---- re-syncs and latency ----


def unchanged_resyncs(app: App, keys: list[str]) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    client = org_registry(app).client(ORG)
    # Every other contract: most share their account with a contract left out.
    selection = keys[1::2] or keys
    with counting(client) as tally:
        summary, seconds = sync(selection)
    figures["other_selection"] = {
        "contracts": len(selection),
        "seconds": round(seconds, 2),
        "planned": summary["planned"],
        **tally.figures(),
    }
    edited = keys[: min(len(keys), 1000)]
    edit(app, edited, lambda c: {"business_unit": f"BU-{c.contract_key}"})  # not mapped
    with counting(client) as tally:
        summary, seconds = sync(None)
    figures["new_versions_unmapped_fields"] = {
        "contracts": len(keys),
        "edited": len(edited),
        "seconds": round(seconds, 2),
        "already_done": summary["already_done"],
        "planned": summary["planned"],
        **tally.figures(),
    }
    with counting(client) as tally:
        summary, seconds = sync(None)
    figures["same_run_again"] = {
        "seconds": round(seconds, 3),
        "already_done": summary["already_done"],
        **tally.figures(),
    }
    return figures


def event_latency(app: App, org: SandboxOrg, keys: list[str], runs: int) -> dict[str, Any]:
    """Change one contract, sync it alone, time from the new version to the sync's end."""
    sf = simple_salesforce(org)
    timings: list[float] = []
    calls: Counter[str] = Counter()
    client = org_registry(app).client(ORG)
    for run in range(runs):
        key = keys[(run * 7919) % len(keys)]
        title = f"Renamed {key} run {run}"
        edit(app, [key], lambda _contract: {"title": title})  # noqa: B023 - called at once
        with counting(client) as tally:
            started = time.perf_counter()
            summary = start_sync(ORG, [key], today=TODAY, actor=ACTOR)
            timings.append(time.perf_counter() - started)
        calls.update(tally.kinds)
        row = sf.query(f"SELECT Name FROM Contract WHERE CS_Key__c = '{key}'")["records"]  # noqa: S608 - our own key
        if summary["status"] != "complete" or row[0]["Name"] != title:
            raise SystemExit(f"latency run {run}: {key} not updated ({summary})")
    ordered = sorted(timings)
    return {
        "runs": runs,
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p99_ms": round(_percentile(ordered, 0.99) * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
        "min_ms": round(ordered[0] * 1000, 1),
        "calls_per_run": {kind: n / runs for kind, n in sorted(calls.items())},
    }


def _percentile(ordered: list[float], share: float) -> float:
    """The nearest-rank percentile: with fewer than 100 runs, p99 is the slowest run."""
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


# ---- report ----


def report_line(name: str, figures: dict[str, Any]) -> str:
    objects = ", ".join(
        f"{sobject} {o['records']} by {o['channel']} (floor {o['floor']})"
        for sobject, o in figures["objects"].items()
    )
    calls = figures["calls"]
    return (
        f"{name}: {figures['changed_contracts']} contracts in {figures['seconds']} s; {objects}\n"
        f"  calls {calls['writes'] + calls['reads']} (writes {calls['writes']}, reads "
        f"{calls['reads']}) vs floor {figures['floor_calls']}: "
        f"{figures['calls_per_1000_contracts']} per 1,000 contracts vs "
        f"{figures['floor_per_1000_contracts']} -> {figures['ratio_to_floor']}x the floor "
        f"(writes alone {figures['write_ratio_to_floor']}x; counting the activation of "
        f"{figures['second_writes']} contracts in the floor "
        f"{figures['ratio_to_floor_with_activation']}x)\n"
        f"  by object: {calls['by_object']}\n"
        f"  seconds by step: {figures['seconds_by_step']}"
    )


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=10_000, help="contracts to sync")
    parser.add_argument("--latency-ms", type=int, default=50, help="latency added per call")
    parser.add_argument("--changed", type=int, default=1000, help="contracts changed later")
    parser.add_argument("--naive-records", type=int, default=400, help="baseline sample")
    parser.add_argument("--latency-runs", type=int, default=30)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    return parser.parse_args()


def open_app(org: SandboxOrg, data: Path) -> App:
    """A fresh SQLite store and settings naming the sandbox org as org ``bench``."""
    store_url = f"sqlite:///{data / 'store.sqlite'}"
    database = Database(store_url)
    database.upgrade()
    database.dispose()
    settings = load_settings(
        data_dir=data / "data", database_url=store_url, orgs={ORG: org_settings(org)}
    )
    return App.open(settings)


def run_benchmark(args: argparse.Namespace, org: SandboxOrg, app: App) -> dict[str, Any]:
    results: dict[str, Any] = {}
    mapping = org_registry(app).mapping(ORG)
    install_in_sandbox(org, mapping)
    keys, load_s = load_store(app, args.contracts)
    results["store_load"] = {
        "contracts": len(keys),
        "seconds": round(load_s, 2),
        "contracts_per_s": round(len(keys) / load_s, 1),
        "how": "ContractRepository.create per contract (a version and an audit entry each)",
    }
    print(f"store load: {len(keys)} contracts in {load_s:.1f} s", flush=True)
    results["naive"] = naive_loop(org, mapping, args.naive_records)
    print(f"naive loop: {results['naive']}", flush=True)
    with durable_engine(app):
        results["initial_sync"] = measured_sync(app, None)
        print(report_line("initial sync", results["initial_sync"]), flush=True)
        changed = keys[: min(args.changed, len(keys))]
        edit(app, changed, lambda c: {"title": f"{c.title} (renamed)"})
        results["changed_sync"] = measured_sync(app, None)
        print(report_line("changed sync", results["changed_sync"]), flush=True)
        results["unchanged"] = unchanged_resyncs(app, keys)
        for name, figures in results["unchanged"].items():
            print(
                f"re-sync of unchanged contracts, {name}: writes {figures['writes']}, reads "
                f"{figures['reads']} {figures['kinds']} in {figures['seconds']} s",
                flush=True,
            )
        results["latency"] = event_latency(app, org, keys, args.latency_runs)
        print(f"event-to-Salesforce latency: {results['latency']}", flush=True)
    results["speedup"] = speedup(results["naive"], results["initial_sync"])
    return results


def speedup(naive: dict[str, Any], initial: dict[str, Any]) -> dict[str, Any]:
    """The naive loop's time per call, times the calls it would need for the initial sync
    (one per record, one more per contract to activate), over the engine's measured time."""
    naive_calls = initial["records"] + initial["second_writes"]
    estimate = naive_calls * naive["seconds_per_call"]
    figures = {
        "naive_calls_for_initial_sync": naive_calls,
        "naive_seconds_extrapolated": round(estimate, 1),
        "engine_seconds": initial["seconds"],
        "speedup": round(estimate / initial["seconds"], 1),
        "note": (
            f"naive time measured on {naive['records']} records ({naive['calls']} calls), "
            "extrapolated linearly per call to the initial sync's records"
        ),
    }
    print(
        f"speed-up over the naive loop: {figures['speedup']}x (EXTRAPOLATED: {estimate:.0f} s "
        f"= {naive_calls} calls x {naive['seconds_per_call'] * 1000:.1f} ms measured over "
        f"{naive['calls']} calls; the engine's {initial['seconds']} s is measured)"
    )
    return figures


def main() -> None:
    args = arguments()
    for name in [name for name in os.environ if name.startswith("CONTRACTSYNC_")]:
        del os.environ[name]  # the benchmark's settings only
    begun = time.perf_counter()
    with (
        tempfile.TemporaryDirectory(prefix="bench-sync-") as folder,
        SandboxOrg(latency_ms=args.latency_ms, daily_api_limit=10_000_000) as org,
    ):
        app = open_app(org, Path(folder))
        try:
            results = run_benchmark(args, org, app)
        finally:
            app.close()
    total_s = time.perf_counter() - begun
    print(f"whole benchmark: {total_s:.0f} s")
    report = {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "contracts": args.contracts,
        "latency_ms": args.latency_ms,
        "store": "SQLite (temporary); durable engine: DBOS on SQLite; sandbox org in-process",
        "seconds_total": round(total_s, 1),
        "results": results,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"saved {args.output}")


if __name__ == "__main__":
    main()
