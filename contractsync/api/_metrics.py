"""``/metrics``: the store's state in Prometheus text format, read at scrape time.

Every value is a gauge computed from the store when scraped, so any number of API
processes report the same figures and nothing is lost at a restart.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import sqlalchemy as sa
from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from contractsync.context import App
from contractsync.store import OPEN, tables
from contractsync.sync import org_registry

from ._errors import error_responses
from ._state import api_state

router = APIRouter(tags=["metrics"])


class StoreCollector(Collector):
    """Dead letters, sync runs, delivered records and contracts, counted in the store."""

    def __init__(self, app: App) -> None:
        self.app = app

    def collect(self) -> Iterator[Metric]:
        t = tables
        with self.app.database.read() as connection:
            letters = connection.execute(
                sa.select(t.dead_letters.c.org, t.dead_letters.c.status, sa.func.count())
                .group_by(t.dead_letters.c.org, t.dead_letters.c.status)
            ).all()  # fmt: skip
            runs = connection.execute(
                sa.select(t.sync_runs.c.org, t.sync_runs.c.status, sa.func.count())
                .group_by(t.sync_runs.c.org, t.sync_runs.c.status)
            ).all()  # fmt: skip
            last_runs = connection.execute(
                sa.select(t.sync_runs.c.org, sa.func.max(t.sync_runs.c.started_at))
                .group_by(t.sync_runs.c.org)
            ).all()  # fmt: skip
            records = connection.execute(
                sa.select(t.sync_state.c.org, t.sync_state.c.sobject, sa.func.count())
                .group_by(t.sync_state.c.org, t.sync_state.c.sobject)
            ).all()  # fmt: skip
            contracts = connection.execute(
                sa.select(t.contracts.c.status, sa.func.count()).group_by(t.contracts.c.status)
            ).all()

        dead = GaugeMetricFamily(
            "contractsync_dead_letters",
            "Records an org refused, by org and status (open ones wait for a replay or discard).",
            labels=["org", "status"],
        )
        # Every configured org reports its open letters, zero included, so that an alert on
        # the value sees the org rather than a missing series.
        counted = {(org, status): int(count) for org, status, count in letters}
        for org in org_registry(self.app).names():
            counted.setdefault((org, OPEN), 0)
        for (org, status), count in sorted(counted.items()):
            dead.add_metric([org, status], count)
        yield dead

        by_status = GaugeMetricFamily(
            "contractsync_sync_runs",
            "Sync runs recorded, by org and status.",
            labels=["org", "status"],
        )
        for org, status, count in sorted(runs):
            by_status.add_metric([org, status], int(count))
        yield by_status

        last = GaugeMetricFamily(
            "contractsync_sync_last_run_started_timestamp_seconds",
            "When the latest sync run of each org started (Unix time).",
            labels=["org"],
        )
        for org, started in sorted(last_runs):
            if isinstance(started, datetime):
                last.add_metric([org], started.timestamp())
        yield last

        delivered = GaugeMetricFamily(
            "contractsync_records_delivered",
            "Records each org has confirmed, by sObject: what contractsync knows it holds.",
            labels=["org", "sobject"],
        )
        for org, sobject, count in sorted(records):
            delivered.add_metric([org, sobject], int(count))
        yield delivered

        stored = GaugeMetricFamily(
            "contractsync_contracts", "Canonical contracts, by lifecycle status.", labels=["status"]
        )
        for status, count in sorted(contracts):
            stored.add_metric([status], int(count))
        yield stored


def metrics_registry(app: App) -> CollectorRegistry:
    """A registry of this app's metrics alone (not the process-wide default registry)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(StoreCollector(app))
    return registry


@router.get(
    "/metrics",
    response_class=Response,
    responses={
        200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus text format."},
        **error_responses(401),
    },
)
def metrics(request: Request) -> Response:
    """Dead letters, sync runs, delivered records and contracts, for Prometheus to scrape."""
    registry = metrics_registry(api_state(request).app)
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
