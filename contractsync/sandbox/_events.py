"""Platform events (``Order_Shipped__e``): publishing, refusals, and the sandbox's event tap.

Publishing is an insert (REST, collections create, composite, Bulk): the body is validated
like any record, then appended to the org's event log instead of its records. The answer is
``success: true`` with one ``OPERATION_ENQUEUED`` entry whose message is the event's
``EventUuid`` — a queued publish, not a failure (salesforce-api.md 7.1). Events cannot be
queried, updated or deleted. The log is read back through the sandbox-only
``/__sandbox__/events`` endpoint and ``SandboxOrg.published_events``, from a replay position
as Pub/Sub subscribers do (-2 earliest, -1 latest, N after replay id N).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ._errors import ApiError, SalesforceError
from ._ids import format_id
from ._schema import Schema
from ._schema_defs import ObjectDef
from ._soql_ast import SelectQuery
from ._soql_errors import SoqlError
from ._store import Store

if TYPE_CHECKING:
    from ._dml import WriteContext

__all__ = [
    "EARLIEST",
    "LATEST",
    "PUBLISH_ID_PREFIX",
    "check_queryable",
    "enqueued",
    "events_after",
    "is_event",
    "not_supported",
    "publish_event",
]

PUBLISH_ID_PREFIX = "e00"  # 8.3: publish results carry e00... ids, not the event's prefix
EARLIEST = -2
LATEST = -1
_SYSTEM = ("ReplayId", "EventUuid", "CreatedDate", "CreatedById")


def is_event(obj: ObjectDef) -> bool:
    return obj.name.endswith("__e")


def not_supported(obj: ObjectDef, operation: str) -> SalesforceError:
    """7.1: events are insert-only."""
    return SalesforceError.of(
        400,
        "INVALID_TYPE_FOR_OPERATION",
        f"entity type {obj.name} does not support {operation}",
        with_fields=False,
    )


def check_queryable(schema: Schema, query: SelectQuery) -> None:
    """SOQL over an event object fails before it runs (7.1: events are not queryable)."""
    obj = schema.object(query.sobject)
    if obj is not None and is_event(obj):
        raise SoqlError(
            "INVALID_TYPE_FOR_OPERATION", f"entity type {obj.name} does not support query"
        )


def publish_event(
    store: Store, obj: ObjectDef, record: Mapping[str, Any], ctx: WriteContext
) -> str:
    """Append a validated event to the log; returns its publish id.

    The event is written in the caller's transaction, so a rolled-back ``allOrNone`` call
    publishes nothing (``PublishAfterCommit``, the default publish behaviour).
    """
    publish_id = format_id(PUBLISH_ID_PREFIX, store.next_sequence("event-publish", 1))
    payload = {f.name: record.get(f.name) for f in obj.fields if f.name not in _SYSTEM and f.custom}
    payload |= {
        "EventUuid": str(uuid.uuid4()),
        "CreatedDate": ctx.stamp,
        "CreatedById": ctx.user_id,
    }
    store.add_event(obj.name, publish_id, payload)
    return publish_id


def enqueued(store: Store, publish_id: str) -> ApiError | None:
    """The ``OPERATION_ENQUEUED`` entry of a publish result, or None for a record id."""
    event = store.event_by_publish_id(publish_id)
    if event is None:
        return None
    return ApiError("OPERATION_ENQUEUED", str(event["EventUuid"]))


def events_after(
    store: Store, sobject: str | None, replay: int, limit: int = 1000
) -> dict[str, Any]:
    """Published events after a replay position, as the sandbox's event tap returns them."""
    newest = store.latest_replay_id(sobject)
    start = newest if replay == LATEST else max(replay, 0)
    events = [
        {"replayId": replay_id, "sobject": name, "payload": payload | {"ReplayId": str(replay_id)}}
        for replay_id, name, payload in store.events_after(sobject, start, limit)
    ]
    return {"events": events, "latestReplayId": newest}
