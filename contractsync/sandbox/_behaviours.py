"""Object-specific platform behaviour: derived fields and rules that describe cannot express.

Each rule cites salesforce-api.md section 8 (standard objects for contract data). The values
that vary by org (contract status categories, opportunity stages, closed statuses) come from
the object's data file, not from here.
"""

from __future__ import annotations

import base64
import calendar
import datetime as dt
import hashlib
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, NamedTuple

from ._errors import SalesforceError
from ._schema_defs import ObjectDef
from ._values import parse_date, parse_datetime

if TYPE_CHECKING:
    from ._dml import Dml, WriteContext

__all__ = ["after_delete", "after_insert", "before_write"]

_FILE_TYPES = {
    "pdf": "PDF",
    "doc": "WORD",
    "docx": "WORD_X",
    "txt": "TEXT",
    "csv": "CSV",
    "xls": "EXCEL",
    "xlsx": "EXCEL_X",
    "png": "PNG",
    "jpg": "JPG",
    "jpeg": "JPG",
    "html": "HTML",
    "zip": "ZIP",
}
_FORECAST_CATEGORY = {
    "Omitted": "Omitted",
    "Pipeline": "Pipeline",
    "Best Case": "BestCase",
    "Commit": "Forecast",
    "Closed": "Closed",
}


class Change(NamedTuple):
    """One pending write, as the object rules see it."""

    dml: Dml
    obj: ObjectDef
    record: dict[str, Any]
    written: set[str]
    existing: dict[str, Any] | None
    ctx: WriteContext


def before_write(  # noqa: PLR0917 - mirrors Change
    dml: Dml,
    obj: ObjectDef,
    record: dict[str, Any],
    written: set[str],
    existing: dict[str, Any] | None,
    ctx: WriteContext,
) -> None:
    """Fill derived fields and enforce object rules before ``record`` is saved."""
    if existing is None:
        _auto_numbers(dml, obj, record)
    if obj.field("Name") and obj.name in ("Contact", "User"):
        parts = [record.get("FirstName"), record.get("LastName")]
        record["Name"] = " ".join(p for p in parts if p)
    rule = _RULES.get(obj.name)
    if rule is not None:
        rule(Change(dml, obj, record, written, existing, ctx))


def _auto_numbers(dml: Dml, obj: ObjectDef, record: dict[str, Any]) -> None:
    formats = obj.extras.get("autoNumber", {})
    for field in obj.fields:
        if field.auto_number:
            spec = formats.get(field.name, {"format": "{0:08d}", "start": 1})
            number = dml.store.next_sequence(f"auto:{obj.name}.{field.name}", spec["start"])
            record[field.name] = spec["format"].format(number)


def _contract(change: Change) -> None:
    _dml, obj, record, _written, existing, ctx = change
    categories: dict[str, str] = obj.extras.get("statusCategories", {})
    category = categories.get(str(record.get("Status")))
    # 8.1: contracts are inserted in a Draft-category status and activated by an update.
    if existing is None and category != "Draft":
        raise SalesforceError.of(
            400,
            "FIELD_INTEGRITY_EXCEPTION",
            "Choose a valid contract status and save your changes. Ask your admin for details.",
            ("Status",),
        )
    record["StatusCode"] = category
    was_activated = existing is not None and existing.get("StatusCode") == "Activated"
    if category == "Activated" and not was_activated:
        record["ActivatedDate"] = ctx.stamp
        record["ActivatedById"] = ctx.user_id
    # 8.1: EndDate = StartDate + ContractTerm months - 1 day (autoCalculateEndDate).
    start = parse_date(str(record.get("StartDate") or ""))
    term = record.get("ContractTerm")
    end = None
    if start is not None and isinstance(term, int) and term > 0:
        end = (_add_months(start, term) - dt.timedelta(days=1)).isoformat()
    record["EndDate"] = end


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _opportunity(change: Change) -> None:
    _dml, obj, record, written, existing, _ctx = change
    stage = obj.extras.get("stages", {}).get(record.get("StageName"))
    stage_changed = existing is None or "StageName" in written
    if stage is not None and stage_changed:
        if "Probability" not in written:
            record["Probability"] = stage["probability"]
        if "ForecastCategoryName" not in written:
            record["ForecastCategoryName"] = {
                "Pipeline": "Pipeline",
                "Closed": "Closed",
                "Omitted": "Omitted",
            }.get(stage["forecastCategory"], stage["forecastCategory"])
        record["IsClosed"] = stage["closed"]
        record["IsWon"] = stage["won"]
    record["ForecastCategory"] = _FORECAST_CATEGORY.get(
        str(record.get("ForecastCategoryName")), "Pipeline"
    )
    amount, probability = record.get("Amount"), record.get("Probability")
    record["ExpectedRevenue"] = (
        round(float(amount) * float(probability) / 100, 2)
        if amount is not None and probability is not None
        else None
    )
    close = parse_date(str(record.get("CloseDate") or ""))
    if close is not None:
        record["FiscalYear"] = close.year
        record["FiscalQuarter"] = (close.month - 1) // 3 + 1


def _activity(change: Change) -> None:
    dml, obj, record, _written, existing, _ctx = change
    if obj.name == "Task":
        record["IsClosed"] = record.get("Status") in obj.extras.get("closedStatuses", ())
        record["IsHighPriority"] = record.get("Priority") == "High"
        if existing is None and record.get("TaskSubtype") is None:
            record["TaskSubtype"] = "Task"
    else:
        _event_times(record)
    record["AccountId"] = _account_of(dml, record.get("WhatId")) or _account_of(
        dml, record.get("WhoId")
    )


def _event_times(record: dict[str, Any]) -> None:
    """8.1: DurationInMinutes + ActivityDateTime, or StartDateTime + EndDateTime."""
    if record.get("IsAllDayEvent") and record.get("ActivityDate"):
        day = parse_date(str(record["ActivityDate"]))
        if day is not None:
            midnight = dt.datetime.combine(day, dt.time(), dt.UTC)
            record["StartDateTime"] = record["ActivityDateTime"] = _fmt(midnight)
            record["EndDateTime"] = _fmt(midnight + dt.timedelta(days=1))
            record["DurationInMinutes"] = 1440
            return
    start_text = record.get("StartDateTime") or record.get("ActivityDateTime")
    start = parse_datetime(str(start_text)) if start_text else None
    if start is None:
        raise _missing("ActivityDateTime")
    end_text = record.get("EndDateTime")
    duration = record.get("DurationInMinutes")
    if end_text:
        finish = parse_datetime(str(end_text))
        assert finish is not None  # noqa: S101 - stored datetimes always parse
        duration = int((finish - start).total_seconds() // 60)
    elif duration is None:
        raise _missing("DurationInMinutes")
    record["StartDateTime"] = record["ActivityDateTime"] = _fmt(start)
    record["EndDateTime"] = _fmt(start + dt.timedelta(minutes=int(duration)))
    record["DurationInMinutes"] = int(duration)
    record["ActivityDate"] = start.date().isoformat()


def _missing(name: str) -> SalesforceError:
    return SalesforceError.of(
        400, "REQUIRED_FIELD_MISSING", f"Required fields are missing: [{name}]", (name,)
    )


def _fmt(moment: dt.datetime) -> str:
    from ._values import format_datetime  # noqa: PLC0415 - avoids a cycle at import time

    return format_datetime(moment)


def _account_of(dml: Dml, related_id: Any) -> str | None:
    if not related_id:
        return None
    found = dml.store.get_any(str(related_id))
    if found is None:
        return None
    sobject, record = found
    if sobject == "Account":
        return str(record["Id"])
    account = record.get("AccountId")
    return str(account) if account else None


def _case(change: Change) -> None:
    _dml, obj, record, _written, _existing, ctx = change
    closed = record.get("Status") in obj.extras.get("closedStatuses", ())
    if closed and not record.get("IsClosed"):
        record["ClosedDate"] = ctx.stamp
    if not closed:
        record["ClosedDate"] = None
    record["IsClosed"] = closed


def _user(change: Change) -> None:
    _dml, _obj, record, _written, existing, _ctx = change
    if existing is None:
        record["UserType"] = record.get("UserType") or "Standard"
        if record.get("CommunityNickname") is None:
            record["CommunityNickname"] = str(record.get("Username", "")).split("@")[0][:40]


def _content_version(change: Change) -> None:
    dml, obj, record, _written, existing, ctx = change
    if existing is not None:
        return
    # 8.2: a version carries its file in VersionData (or points elsewhere via ContentUrl).
    if record.get("VersionData") is None and record.get("ContentUrl") is None:
        raise _missing("VersionData")
    path = record.get("PathOnClient")
    if record.get("VersionData") is not None and not path:
        raise _missing("PathOnClient")
    suffix = PurePosixPath(str(path or "")).suffix.lstrip(".").lower()
    record["FileExtension"] = suffix or None
    record["FileType"] = _FILE_TYPES.get(suffix, "UNKNOWN") if path else "LINK"
    if record.get("Title") is None:
        record["Title"] = PurePosixPath(str(path or "link")).stem
    data = base64.b64decode(record["VersionData"]) if record.get("VersionData") else b""
    record["ContentSize"] = len(data)
    record["Checksum"] = hashlib.md5(data, usedforsecurity=False).hexdigest()
    record["IsLatest"] = True
    previous = record.get("ContentDocumentId")
    versions = dml.store.scan("ContentVersion", include_deleted=False)
    mine = [v for v in versions if previous and v.get("ContentDocumentId") == previous]
    record["VersionNumber"] = str(len(mine) + 1)
    for version in mine:
        if version.get("IsLatest"):
            version["IsLatest"] = False
            dml.system_update(obj, version, ctx)


def after_insert(dml: Dml, obj: ObjectDef, record: dict[str, Any], ctx: WriteContext) -> None:
    """Records the platform creates alongside an insert (ContentDocument and its links)."""
    if obj.name == "ContentVersion":
        _publish_version(dml, obj, record, ctx)
    elif obj.name == "ContentDocumentLink":
        _check_single_link(dml, record)


def _publish_version(dml: Dml, obj: ObjectDef, record: dict[str, Any], ctx: WriteContext) -> None:
    if record.get("VersionData") is not None:
        dml.store.put_blob(record["Id"], "VersionData", base64.b64decode(record["VersionData"]))
        record["VersionData"] = (
            f"/services/data/v{ctx.version}/sobjects/ContentVersion/{record['Id']}/VersionData"
        )
    document_obj = dml.schema.object("ContentDocument")
    link_obj = dml.schema.object("ContentDocumentLink")
    assert document_obj is not None  # noqa: S101 - standard object
    assert link_obj is not None  # noqa: S101 - standard object
    document_fields = {
        "Title": record["Title"],
        "OwnerId": record["OwnerId"],
        "PublishStatus": "P",
        "LatestPublishedVersionId": record["Id"],
        "FileType": record["FileType"],
        "FileExtension": record["FileExtension"],
        "ContentSize": record["ContentSize"],
    }
    document_id = record.get("ContentDocumentId")
    if document_id:
        document = dml.store.get("ContentDocument", document_id)
        assert document is not None  # noqa: S101 - reference checked before the save
        dml.system_update(document_obj, document | document_fields, ctx)
    else:
        document_id = dml.system_insert(document_obj, document_fields, ctx)
        record["ContentDocumentId"] = document_id
        # The owner always gets a link; FirstPublishLocationId adds one to that record (8.2).
        targets = [record["OwnerId"]]
        location = record.get("FirstPublishLocationId")
        if location and location != record["OwnerId"]:
            targets.append(location)
        for target in targets:
            dml.system_insert(
                link_obj,
                {
                    "LinkedEntityId": target,
                    "ContentDocumentId": document_id,
                    "ShareType": "I",
                    "Visibility": "AllUsers",
                },
                ctx,
            )
    dml.system_update(obj, record, ctx)


def _check_single_link(dml: Dml, record: dict[str, Any]) -> None:
    for link in dml.store.scan("ContentDocumentLink", include_deleted=False):
        if (
            link["Id"] != record["Id"]
            and link.get("ContentDocumentId") == record.get("ContentDocumentId")
            and link.get("LinkedEntityId") == record.get("LinkedEntityId")
        ):
            raise SalesforceError.of(
                400,
                "DUPLICATE_VALUE",
                f"Document with ID: {record['ContentDocumentId']} is already linked with the"
                f" entity with ID: {record['LinkedEntityId']}",
                ("LinkedEntityId",),
            )


def after_delete(dml: Dml, obj: ObjectDef, record: dict[str, Any], ctx: WriteContext) -> None:
    """Deleting a ContentDocument deletes all its versions (8.1)."""
    if obj.name != "ContentDocument":
        return
    version_obj = dml.schema.object("ContentVersion")
    assert version_obj is not None  # noqa: S101 - standard object
    for version in dml.store.scan("ContentVersion", include_deleted=False):
        if version.get("ContentDocumentId") == record["Id"]:
            dml.delete_record(version_obj, version, ctx)


_RULES = {
    "Contract": _contract,
    "Opportunity": _opportunity,
    "Task": _activity,
    "Event": _activity,
    "Case": _case,
    "User": _user,
    "ContentVersion": _content_version,
}
