"""Client mistakes never produce a 500: every malformed call gets a Salesforce 4xx error.

A sweep of REST resources x methods x broken bodies; each answer must be below 500 and,
when JSON, carry Salesforce's error shape. The specific codes and messages of each mistake
are asserted where that mistake is tested (test_sandbox_rest, _composite_more, _bulk, ...).
"""

from __future__ import annotations

import itertools

from sandbox_support import Api

_PATHS = (
    "", "sobjects", "sobjects/Account", "sobjects/Account/describe",
    "sobjects/Account/001000000000000AAA", "sobjects/Account/Ext_Id__c/MISTAKE-1",
    "sobjects/Account/updated/?start=bad&end=bad", "sobjects/ContentVersion",
    "query/?q=SELECT", "query/01gXXXX-2000", "limits/recordCount?sObjects=Nope",
    "composite", "composite/sobjects", "composite/sobjects/Account",
    "composite/sobjects/Account/Ext_Id__c", "composite/tree/Account", "composite/graph",
    "composite/batch", "jobs/ingest", "jobs/ingest/750000000000000AAA/batches", "jobs/query",
)  # fmt: skip
_BODIES = (
    b"", b"null", b"[]", b"123", b"\xff\xfe", b'{"records": [1]}',
    b'{"compositeRequest": [{}]}', b'{"batchRequests": [{"method": "GET", "url": 5}]}',
    b'{"graphs": [{"graphId": 1}]}', b'{"Name": {"nested": 1}}', b'{"state": 5}',
)  # fmt: skip


def test_no_malformed_call_gets_a_500(api: Api) -> None:
    failures = []
    calls = [(m, p, None) for m in ("GET", "DELETE") for p in _PATHS]
    calls += list(itertools.product(("POST", "PATCH", "PUT"), _PATHS, _BODIES))
    for method, path, body in calls:
        response = api.call(method, path, data=body, headers={"Content-Type": "application/json"})
        if response.status_code >= 500:
            failures.append((method, path, body, response.status_code, response.text[:200]))
        elif response.status_code >= 400:
            error = response.json()
            first = error[0] if isinstance(error, list) else error
            assert {"errorCode", "message"} <= set(first), (method, path, body, error)
    assert failures == []
