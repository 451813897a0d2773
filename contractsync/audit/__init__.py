"""The append-only, hash-chained audit log and its verification."""

from ._log import GENESIS_HASH, AuditEntry, AuditLog, entry_hash
from ._verify import VerifyReport, verify_audit_log

__all__ = [
    "GENESIS_HASH",
    "AuditEntry",
    "AuditLog",
    "VerifyReport",
    "entry_hash",
    "verify_audit_log",
]
