"""Speaking to Salesforce orgs: auth, calls with retry and limits, one result shape."""

from ._classify import Disposition, classify
from ._limits import ApiUsage, LimitTracker, parse_limit_info
from ._results import FieldError, RecordResult
from ._retry import RetryPolicy

__all__ = [
    "ApiUsage",
    "Disposition",
    "FieldError",
    "LimitTracker",
    "RecordResult",
    "RetryPolicy",
    "classify",
    "parse_limit_info",
]
