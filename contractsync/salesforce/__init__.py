"""Speaking to Salesforce orgs: auth, calls with retry and limits, one result shape."""

from ._auth import (
    AccessTokenAuth,
    ClientCredentialsAuth,
    JwtBearerAuth,
    OrgAuth,
    OrgSession,
    PasswordAuth,
)
from ._bulk import JOB_CALLS, JOB_RECORDS, to_csv
from ._classify import Disposition, classify
from ._client import COLLECTION_LIMIT, DEFAULT_API_VERSION, OrgClient
from ._limits import ApiUsage, LimitTracker, parse_limit_info
from ._results import FieldError, RecordResult
from ._retry import RetryPolicy
from ._transport import org_http_session

__all__ = [
    "COLLECTION_LIMIT",
    "DEFAULT_API_VERSION",
    "JOB_CALLS",
    "JOB_RECORDS",
    "AccessTokenAuth",
    "ApiUsage",
    "ClientCredentialsAuth",
    "Disposition",
    "FieldError",
    "JwtBearerAuth",
    "LimitTracker",
    "OrgAuth",
    "OrgClient",
    "OrgSession",
    "PasswordAuth",
    "RecordResult",
    "RetryPolicy",
    "classify",
    "org_http_session",
    "parse_limit_info",
    "to_csv",
]
