"""An org client: simple-salesforce for transport, plus what a sync engine needs.

Every call goes through ``_call``: it checks the API allowance, runs the call, classifies a
failure (``classify``), and retries with backoff, re-authenticates once, pauses, or raises
by type. Writes answer in ``RecordResult`` whatever the channel.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import quote

import requests
from simple_salesforce.api import Salesforce
from simple_salesforce.exceptions import SalesforceError

from contractsync.errors import (
    ApiAllowanceExhausted,
    PermanentSyncError,
    RecordRejected,
    RetryableSyncError,
)

from ._auth import OrgAuth, OrgSession
from ._bulk import JobPace
from ._classify import Disposition, classify
from ._limits import LimitTracker
from ._results import FieldError, RecordResult
from ._retry import RetryPolicy
from ._transport import org_http_session

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_API_VERSION = "62.0"
COLLECTION_LIMIT = 200
"""sObject collections take at most 200 records a call (salesforce-api.md 4.2)."""


class OrgClient:
    """Calls to one named org, safe to share between threads of one process."""

    def __init__(
        self,
        name: str,
        auth: OrgAuth,
        *,
        api_version: str = DEFAULT_API_VERSION,
        ca_bundle: str | None = None,
        timeout_s: float = 60.0,
        retry: RetryPolicy | None = None,
        limits: LimitTracker | None = None,
        http: requests.Session | None = None,
    ) -> None:
        self.name = name
        self.auth = auth
        self.api_version = api_version
        self.timeout_s = timeout_s
        self.retry = retry or RetryPolicy()
        self.limits = limits or LimitTracker()
        self.http = http or org_http_session(
            limits=self.limits, timeout_s=timeout_s, ca_bundle=ca_bundle
        )
        self.calls = 0
        """API calls made (each attempt counts, as Salesforce counts them)."""
        self._session: OrgSession | None = None
        self._sf: Salesforce | None = None
        self._describes: dict[str, dict[str, Any]] = {}
        self.bulk_pace = JobPace()
        """How long this org's Bulk jobs take, to time their first poll."""

    # ---- reads ----

    def describe(self, sobject: str, *, refresh: bool = False) -> dict[str, Any]:
        """The object's describe, cached per client (schema drift: ``refresh=True``)."""
        key = sobject.lower()
        if refresh or key not in self._describes:
            self._describes[key] = self._call(
                f"describe {sobject}", lambda sf: _rest(sf, f"sobjects/{sobject}/describe")
            )
        return self._describes[key]

    def describe_global(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("describe", lambda sf: _rest(sf, "sobjects"))
        return result

    def query_all(self, soql: str) -> list[dict[str, Any]]:
        """Every row of a SOQL query, following ``nextRecordsUrl`` pages."""
        page: dict[str, Any] = self._call("query", lambda sf: _rest(sf, "query", {"q": soql}))
        rows = list(page.get("records", []))
        while not page.get("done", True):
            next_path = "query/" + str(page["nextRecordsUrl"]).rsplit("/query/", 1)[1]
            page = self._call("query more", _rest_call(next_path))
            rows.extend(page.get("records", []))
        return rows

    def fetch_limits(
        self, *, retry: RetryPolicy | None = None, timeout_s: float | None = None
    ) -> dict[str, Any]:
        """The org's /limits, which also refreshes the usage the reserve is judged by.

        Allowed even inside the reserve: it is how a paused org learns it may go on. A
        caller that must answer quickly passes ``retry=RetryPolicy.single_attempt()`` and a
        short ``timeout_s`` (by default, the client's policy and timeout).
        """
        limits: dict[str, Any] = self._call(
            "limits",
            lambda sf: _rest(sf, "limits", timeout=timeout_s),
            respect_reserve=False,
            retry=retry,
            timeout_s=timeout_s,
        )
        self.limits.observe_limits(limits)
        return limits

    # ---- writes ----

    def upsert(
        self, sobject: str, external_id_field: str, key: str, fields: Mapping[str, Any]
    ) -> RecordResult:
        """Upsert one record by external id (REST); a rejected record is a failed result."""
        path = f"sobjects/{sobject}/{external_id_field}/{quote(key, safe='')}"
        body = {name: value for name, value in fields.items() if name != external_id_field}
        try:
            response = self._call(
                f"upsert {sobject} {key}",
                lambda sf: _rest(sf, path, method="PATCH", json=body, timeout=self.timeout_s),
            )
        except RecordRejected as rejected:
            return RecordResult.failed(key, rejected.context.get("errors", ()))
        # v46+ answers 201/200 with a body; older versions answer 204 with none.
        response = response or {}
        return RecordResult(
            key=key,
            sf_id=response.get("id"),
            success=True,
            created=bool(response.get("created", False)),
        )

    def upsert_collection(
        self,
        sobject: str,
        external_id_field: str,
        records: Sequence[tuple[str, Mapping[str, Any]]],
    ) -> list[RecordResult]:
        """Upsert up to 200 records in one call (allOrNone false), retrying only the records
        that failed for transient reasons (e.g. ``UNABLE_TO_LOCK_ROW``)."""
        if len(records) > COLLECTION_LIMIT:
            raise ValueError(f"a collection call takes at most {COLLECTION_LIMIT} records")
        results: dict[str, RecordResult] = {}
        pending = list(records)
        delays = iter(self.retry.delays())
        while pending:
            answers = self._collection_call(sobject, external_id_field, pending)
            retry_later: list[tuple[str, Mapping[str, Any]]] = []
            for (key, fields), answer in zip(pending, answers, strict=True):
                result = _save_result(key, answer)
                if not result.success and classify(None, result.errors[0]) is Disposition.RETRY:
                    retry_later.append((key, fields))
                results[key] = result
            pending = retry_later
            if pending:
                delay = next(delays, None)
                if delay is None:
                    break
                self.retry.sleep(delay)
        return [results[key] for key, _ in records]

    def _collection_call(
        self, sobject: str, external_id_field: str, records: Sequence[tuple[str, Mapping[str, Any]]]
    ) -> list[dict[str, Any]]:
        body = {
            "allOrNone": False,
            "records": [
                {"attributes": {"type": sobject}, **fields, external_id_field: key}
                for key, fields in records
            ],
        }
        answers: list[dict[str, Any]] = self._call(
            f"upsert {len(records)} {sobject}",
            lambda sf: _rest(
                sf,
                f"composite/sobjects/{sobject}/{external_id_field}",
                method="PATCH",
                json=body,
                timeout=self.timeout_s,
            ),
        )
        return answers

    def upsert_bulk(
        self,
        sobject: str,
        external_id_field: str,
        records: Sequence[tuple[str, Mapping[str, Any]]],
    ) -> list[RecordResult]:
        """Upsert many records through Bulk API 2.0 (see ``_bulk``)."""
        from ._bulk import bulk_upsert  # noqa: PLC0415 - the modules use each other

        return bulk_upsert(self, sobject, external_id_field, records)

    def delete(self, sobject: str, key: str, sf_id: str) -> RecordResult:
        """Delete one record by Id; one that is already gone counts as deleted."""
        try:
            self._call(
                f"delete {sobject} {key}",
                lambda sf: _rest(sf, f"sobjects/{sobject}/{sf_id}", method="DELETE"),
            )
        except PermanentSyncError as error:
            if error.context.get("salesforce_code") in {"ENTITY_IS_DELETED", "NOT_FOUND"}:
                return RecordResult(key=key, sf_id=sf_id, success=True)
            raise
        except RecordRejected as rejected:
            return RecordResult.failed(key, rejected.context.get("errors", ()), sf_id=sf_id)
        return RecordResult(key=key, sf_id=sf_id, success=True)

    def find_users(self, match_on: str, values: Sequence[str]) -> dict[str, str]:
        """Active users whose ``match_on`` field (Email, Username ...) is one of ``values``,
        as lower-cased value → User Id (the first by Id when several share an email)."""
        found: dict[str, str] = {}
        unique = sorted({value.lower() for value in values})
        for start in range(0, len(unique), 200):
            quoted = ", ".join(_soql_quote(value) for value in unique[start : start + 200])
            rows = self.query_all(
                f"SELECT Id, {match_on} FROM User WHERE {match_on} IN ({quoted}) "  # noqa: S608 - values quoted; match_on is a validated field name
                "AND IsActive = true ORDER BY Id"
            )
            for row in rows:
                found.setdefault(str(row[match_on]).lower(), str(row["Id"]))
        return found

    def match_records(
        self, sobject: str, values: Mapping[str, Sequence[str]], *, contains: bool = False
    ) -> list[dict[str, Any]]:
        """Records of ``sobject`` whose every field in ``values`` is one of its values (or,
        ``contains``, has one of them inside: URLs are stored in many forms), oldest first
        (CreatedDate, then Id). One query; the caller batches and decides ties."""
        conditions = []
        for name, options in values.items():
            if contains:
                likes = " OR ".join(f"{name} LIKE {_soql_like(value)}" for value in options)
                conditions.append(f"({likes})")
            else:
                conditions.append(f"{name} IN ({', '.join(_soql_quote(v) for v in options)})")
        select = ", ".join(dict.fromkeys(["Id", "CreatedDate", *values]))
        return self.query_all(
            f"SELECT {select} FROM {sobject} WHERE {' AND '.join(conditions)} "  # noqa: S608 - values quoted; names validated by the mapping
            "ORDER BY CreatedDate, Id"
        )

    # ---- the one call path ----

    def _call(
        self,
        what: str,
        call: Callable[[Salesforce], T],
        *,
        respect_reserve: bool = True,
        retry: RetryPolicy | None = None,
        timeout_s: float | None = None,
    ) -> T:
        """Run ``call`` under ``retry`` (the client's policy by default); ``timeout_s``
        bounds a login the call needs (the call's own requests set theirs)."""
        policy = retry or self.retry
        delays = iter(policy.delays())
        reauthenticated = False
        while True:
            if respect_reserve and not self.limits.allows(1):
                usage = self.limits.usage
                raise ApiAllowanceExhausted(
                    f"Org '{self.name}' is at its API allowance less the reserve "
                    f"({usage.used if usage else '?'}/{usage.total if usage else '?'} calls). "
                    "contractsync pauses this org until usage allows.",
                    org=self.name,
                )
            client = self._client(timeout_s=timeout_s)
            self.calls += 1
            try:
                return call(client)
            except SalesforceError as error:
                status, errors = error.status, _errors_of(error.content)
                disposition = classify(status, errors[0] if errors else None)
            except (requests.ConnectionError, requests.Timeout) as error:
                status, errors = None, [FieldError(type(error).__name__, str(error)[:200])]
                disposition = Disposition.RETRY
            log.info(
                "salesforce call failed org=%s call=%s status=%s code=%s disposition=%s",
                self.name,
                what,
                status,
                errors[0].code if errors else "",
                disposition,
            )
            if disposition is Disposition.REAUTHENTICATE and not reauthenticated:
                if not self.auth.refreshable:
                    raise PermanentSyncError(
                        f"Org '{self.name}': the access token expired and cannot be renewed. "
                        "Give a new token or configure a JWT or client-credentials login.",
                        org=self.name,
                    )
                reauthenticated = True
                self._reset()
                continue
            if disposition is Disposition.RETRY:
                delay = next(delays, None)
                if delay is not None:
                    policy.sleep(delay)
                    continue
                attempts = f"{policy.attempts} attempt{'s' if policy.attempts > 1 else ''}"
                raise RetryableSyncError(
                    f"Org '{self.name}': {what} still failing after {attempts}: "
                    f"{_describe(status, errors)}.",
                    org=self.name,
                    status=status,
                    salesforce_code=errors[0].code if errors else None,
                )
            if disposition is Disposition.PAUSE:
                raise ApiAllowanceExhausted(
                    f"Org '{self.name}' has used its daily API allowance. contractsync "
                    "pauses this org until usage allows.",
                    org=self.name,
                )
            if disposition is Disposition.REJECT_RECORD:
                raise RecordRejected(
                    f"Org '{self.name}' rejected {what}: {_describe(status, errors)}.",
                    org=self.name,
                    errors=tuple(errors),
                    salesforce_code=errors[0].code if errors else None,
                )
            raise PermanentSyncError(
                f"Org '{self.name}' refused {what}: {_describe(status, errors)}.",
                org=self.name,
                status=status,
                salesforce_code=errors[0].code if errors else None,
            )

    def _client(self, *, timeout_s: float | None = None) -> Salesforce:
        if self._sf is None:
            self._session = self.auth.login(self.http, timeout_s=timeout_s or self.timeout_s)
            self._sf = Salesforce(
                instance_url=self._session.instance_url,
                session_id=self._session.access_token.get_secret_value(),
                session=self.http,
                version=self.api_version,
            )
        return self._sf

    def _reset(self) -> None:
        self._sf = None
        self._session = None

    def close(self) -> None:
        self.http.close()


def _rest(sf: Salesforce, path: str, params: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    """``Salesforce.restful`` typed as the JSON it returns (None for 204 No Content)."""
    return sf.restful(path, params, **kwargs)


def _soql_quote(value: str) -> str:
    """A SOQL string literal (backslash and quote escaped, per the SOQL reference)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _soql_like(value: str) -> str:
    """A ``LIKE '%value%'`` pattern, the wildcards in ``value`` itself escaped."""
    escaped = value.replace("\\", "\\\\").replace("'", "\\'")
    return "'%" + escaped.replace("%", "\\%").replace("_", "\\_") + "%'"


def _rest_call(path: str) -> Callable[[Salesforce], Any]:
    return lambda sf: _rest(sf, path)


def _errors_of(content: Any) -> list[FieldError]:
    if isinstance(content, bytes | str):
        return []
    if isinstance(content, dict):
        content = [content]
    if isinstance(content, list):
        return [FieldError.from_api(item) for item in content if isinstance(item, dict)]
    return []


def _save_result(key: str, answer: Mapping[str, Any]) -> RecordResult:
    if answer.get("success"):
        return RecordResult(
            key=key,
            sf_id=answer.get("id"),
            success=True,
            created=bool(answer.get("created", False)),
        )
    errors = [FieldError.from_api(error) for error in answer.get("errors") or []]
    return RecordResult.failed(key, errors or [FieldError("UNKNOWN_ERROR", "no error given")])


def _describe(status: int | None, errors: Sequence[FieldError]) -> str:
    if not errors:
        return f"HTTP {status}" if status else "no response"
    first = errors[0]
    fields = f" [{', '.join(first.fields)}]" if first.fields else ""
    return f"{first.code}{fields}: {first.message}"
