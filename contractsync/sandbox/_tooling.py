"""``/services/data/vNN.N/tooling/...``: the Tooling API, with no tooling types modelled.

Every org has the Tooling API (its resource map and identity URLs name it), and clients call
it unprompted: ``sf org login`` asks ``tooling/query`` for ``SandboxProcess`` rows to learn
whether the org is a sandbox, and treats a refusal as "no". The sandbox org models no
tooling sObjects (ApexClass, SourceMember, SandboxProcess, ...), so it answers like an org
whose Tooling API does not expose the type asked for: a query parses as SOQL
(``MALFORMED_QUERY`` as usual) and then fails with ``INVALID_TYPE`` naming the type, and the
global describe lists no types. Other tooling resources are ``NOT_FOUND``.
"""

from __future__ import annotations

from ._api import ApiRequest, ApiResponse
from ._errors import SalesforceError, not_found
from ._sobjects import method_not_allowed
from ._soql import SoqlError, parse_soql
from ._soql_eval import invalid_type

__all__ = ["handle_tooling"]


def handle_tooling(req: ApiRequest) -> ApiResponse:
    """Answer a call whose segments start with ``tooling``."""
    rest = req.segments[1:]
    if rest[:1] in (("query",), ("queryAll",)) and len(rest) == 1:
        if req.method != "GET":
            raise method_not_allowed(req.method, "GET,HEAD")
        return _query(req)
    if rest == ("sobjects",):
        if req.method != "GET":
            raise method_not_allowed(req.method, "GET,HEAD")
        return ApiResponse(200, {"encoding": "UTF-8", "maxBatchSize": 200, "sobjects": []})
    raise not_found()


def _query(req: ApiRequest) -> ApiResponse:
    text = req.params.get("q")
    if not text:
        raise SalesforceError.of(
            400, "MALFORMED_QUERY", "A query string has to be specified", with_fields=False
        )
    try:
        query = parse_soql(text)
    except SoqlError as error:
        raise _refusal(error) from None
    raise _refusal(invalid_type(query))


def _refusal(error: SoqlError) -> SalesforceError:
    return SalesforceError.of(400, error.error_code, error.message, with_fields=False)
