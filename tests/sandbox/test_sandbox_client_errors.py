"""Each class of error surfaces as the simple-salesforce exception a real org produces.

simple-salesforce maps 300, 400, 401, 403 and 404 to their own exception classes and every
other status >= 300 to ``SalesforceGeneralError``, with the parsed body in ``.content``
(salesforce-api.md 3.2).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sandbox_support import Api, FakeClock
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import (
    SalesforceError,
    SalesforceExpiredSession,
    SalesforceGeneralError,
    SalesforceMalformedRequest,
    SalesforceMoreThanOneRecord,
    SalesforceRefusedRequest,
    SalesforceResourceNotFound,
)

from contractsync.sandbox import SandboxOrg

_MISSING = "001000000000000AAA"
_NOT_FOUND = [{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}]

Call = Callable[[SandboxOrg, Salesforce, FakeClock], Any]


def _several_matches(org: SandboxOrg, sf: Salesforce, _clock: FakeClock) -> Any:
    org.add_custom_field("Contact", {"name": "Code__c", "type": "string", "externalId": True})
    for name in ("a", "b"):
        sf.Contact.create({"LastName": name, "Code__c": "DUP"})
    return sf.Contact.upsert("Code__c/DUP", {"LastName": "c"})


def _expired(org: SandboxOrg, sf: Salesforce, clock: FakeClock) -> Any:
    clock.advance(minutes=3)
    return sf.Account.describe()


def _daily_limit_spent(org: SandboxOrg, sf: Salesforce, _clock: FakeClock) -> Any:
    org.set_daily_api_limit(2)
    sf.limits()
    sf.limits()
    return sf.limits()


def _with_fault(spec: str, call: Callable[[Salesforce], Any]) -> Call:
    def run(org: SandboxOrg, sf: Salesforce, _clock: FakeClock) -> Any:
        org.set_faults(spec)
        return call(sf)

    return run


def _unknown_after_commit(org: SandboxOrg, sf: Salesforce, _clock: FakeClock) -> Any:
    org.set_faults("seed=5,rest:unknown_after_commit=1")
    try:
        return sf.Account.create({"Name": "Committed anyway"})
    finally:
        org.set_faults("")
        # The write happened although the client saw a 500.
        assert sf.query("SELECT Id FROM Account WHERE Name = 'Committed anyway'")["totalSize"] == 1


@pytest.mark.parametrize(
    ("call", "exception", "status", "content"),
    [
        pytest.param(
            _several_matches, SalesforceMoreThanOneRecord, 300, None, id="300-upsert-matches-two"
        ),
        pytest.param(
            lambda _o, sf, _c: sf.Account.create({"Phone": "1"}),
            SalesforceMalformedRequest, 400,
            [{"message": "Required fields are missing: [Name]",
              "errorCode": "REQUIRED_FIELD_MISSING", "fields": ["Name"]}],
            id="400-required-field",
        ),
        pytest.param(
            lambda _o, sf, _c: sf.query("SELECT Nope__c FROM Account"),
            SalesforceMalformedRequest, 400,
            [{"message": "\nSELECT Nope__c FROM Account\n       ^\nERROR at Row:1:Column:8\n"
                         "No such column 'Nope__c' on entity 'Account'. If you are attempting to"
                         " use a custom field, be sure to append the '__c' after the custom"
                         " field name. Please reference your WSDL or the describe call for the"
                         " appropriate names.",
              "errorCode": "INVALID_FIELD"}],
            id="400-invalid-field",
        ),
        pytest.param(
            lambda _o, sf, _c: sf.Account.create({"Name": "x", "AnnualRevenue": "abc"}),
            SalesforceMalformedRequest, 400,
            [{"message": "Cannot deserialize instance of currency from VALUE_STRING value abc or"
                         " request may be missing a required field at [line:1, column:37]",
              "errorCode": "JSON_PARSER_ERROR"}],
            id="400-json-parser-error",
        ),
        pytest.param(
            _expired, SalesforceExpiredSession, 401,
            [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}],
            id="401-expired-session",
        ),
        pytest.param(
            _daily_limit_spent, SalesforceRefusedRequest, 403,
            [{"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}],
            id="403-daily-limit",
        ),
        pytest.param(
            _with_fault("rest:concurrent=1", lambda sf: sf.Account.get(_MISSING)),
            SalesforceRefusedRequest, 403,
            [{"message": "ConcurrentRequests (Concurrent API Requests) Limit exceeded.",
              "errorCode": "REQUEST_LIMIT_EXCEEDED"}],
            id="403-concurrent-requests",
        ),
        pytest.param(
            lambda _o, sf, _c: sf.Account.get(_MISSING),
            SalesforceResourceNotFound, 404, _NOT_FOUND, id="404-record",
        ),
        pytest.param(
            lambda _o, sf, _c: sf.restful("sobjects/Nope__c/describe"),
            SalesforceResourceNotFound, 404, _NOT_FOUND, id="404-object",
        ),
        pytest.param(
            _with_fault("seed=1,rest:lock=1", lambda sf: sf.Account.update(_MISSING, {})),
            SalesforceMalformedRequest, 400,
            [{"message": f"unable to obtain exclusive access to this record or 1 records:"
                         f" {_MISSING}", "errorCode": "UNABLE_TO_LOCK_ROW"}],
            id="400-unable-to-lock-row",
        ),
        pytest.param(
            lambda _o, sf, _c: sf.restful("sobjects/Account", method="PATCH", data="{}"),
            SalesforceGeneralError, 405,
            [{"message": "HTTP Method 'PATCH' not allowed. Allowed are GET,HEAD,POST",
              "errorCode": "METHOD_NOT_ALLOWED"}],
            id="405-method",
        ),
        pytest.param(
            lambda _o, sf, _c: sf.query(f"SELECT Id FROM Account WHERE Name = '{'x' * 17_000}'"),
            SalesforceGeneralError, 414, "URI Too Long", id="414-uri",
        ),
        pytest.param(
            _unknown_after_commit, SalesforceGeneralError, 500, None,
            id="500-unknown-after-commit",
        ),
        pytest.param(
            _with_fault("describe:unavailable=1", lambda sf: sf.Account.describe()),
            SalesforceGeneralError, 503,
            [{"message": "Server unavailable", "errorCode": "SERVER_UNAVAILABLE"}],
            id="503-unavailable",
        ),
    ],
)  # fmt: skip
def test_error_classes_map_to_simple_salesforce_exceptions(  # noqa: PLR0917 - pytest params
    clocked: tuple[SandboxOrg, Api],
    clock: FakeClock,
    call: Call,
    exception: type[SalesforceError],
    status: int,
    content: Any,
) -> None:
    org, api = clocked
    org.set_daily_api_limit(100)
    sf = Salesforce(
        instance_url=org.info.instance_url,
        session_id=org.new_access_token(),
        session=api.session,
        version="59.0",
    )
    with pytest.raises(SalesforceError) as raised:
        call(org, sf, clock)
    assert type(raised.value) is exception
    assert raised.value.status == status
    if content is not None:
        assert raised.value.content == content
    elif status == 300:
        assert [url.rsplit("/", 2)[-2] for url in raised.value.content] == ["Contact", "Contact"]
    else:
        [error] = raised.value.content
        assert error["errorCode"] == "UNKNOWN_EXCEPTION"
        assert error["message"].startswith(
            "An unexpected error occurred. Please include this ErrorId if you contact support: "
        )
