"""The sandbox org: a local, Salesforce-compatible org server for development and tests.

    from contractsync.sandbox import SandboxOrg

    with SandboxOrg() as org:
        info = org.info          # instance_url, access_token, ca_bundle, username, ...

Real clients (simple-salesforce unchanged) talk to it over HTTPS; see ``pytest_plugin`` for
the ``sandbox_org`` fixture and ``_cli`` for ``contractsync sandbox serve``. This package
imports nothing from the rest of contractsync: it stands in for a foreign system.
"""

from ._faults import FAMILIES, FAULTS, FaultPlan, FaultRule
from ._ids import checksum, normalize_id
from ._requests_session import sandbox_requests_session
from ._schema_defs import SchemaError
from ._server import SandboxInfo, SandboxOrg

__all__ = [
    "FAMILIES",
    "FAULTS",
    "FaultPlan",
    "FaultRule",
    "SandboxInfo",
    "SandboxOrg",
    "SchemaError",
    "checksum",
    "normalize_id",
    "sandbox_requests_session",
]
