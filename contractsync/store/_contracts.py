"""Contracts in the store: one current record per contract, every version kept.

Every write creates a new version with actor, reason and time, appends an audit entry in
the same transaction, and is based on the version the writer read (optimistic
concurrency): a stale write is refused, never silently applied over someone else's.
"""

from __future__ import annotations

import builtins
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from contractsync.errors import AlreadyExistsError, ConcurrencyError, NotFoundError
from contractsync.model import TRANSITION_EVENTS, Contract, LifecycleStatus, check_transition

from . import _tables as t
from ._database import Database
from ._journal import Clock, Journal, JournalEntry, utc_now
from ._json import canonical_json


@dataclass(frozen=True, slots=True)
class StoredContract:
    """A contract as stored: the record and the version it is at."""

    contract: Contract
    version: int
    created_at: datetime
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True, slots=True)
class ContractVersion:
    """One entry of a contract's history."""

    contract_key: str
    version: int
    actor: str
    reason: str
    created_at: datetime
    changed_fields: tuple[str, ...]
    record_sha256: str


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What a write did: the version now current, and whether anything changed."""

    stored: StoredContract
    changed: bool


class ContractRepository:
    """Reads and writes canonical contract records."""

    def __init__(self, database: Database, journal: Journal, *, clock: Clock = utc_now) -> None:
        self.database = database
        self.journal = journal
        self.clock = clock

    # ---- reads ----

    def get(self, contract_key: str) -> StoredContract:
        with self.database.read() as connection:
            return self._current(connection, contract_key)

    def find(self, contract_key: str) -> StoredContract | None:
        with self.database.read() as connection:
            return self._find(connection, contract_key)

    def get_version(self, contract_key: str, version: int) -> Contract:
        with self.database.read() as connection:
            row = connection.execute(
                sa.select(t.contract_versions.c.record).where(
                    t.contract_versions.c.contract_key == contract_key,
                    t.contract_versions.c.version == version,
                )
            ).one_or_none()
            if row is None:
                latest = self._current(connection, contract_key).version
                raise NotFoundError(
                    f"Contract '{contract_key}' has no version {version}; "
                    f"its versions are 1 to {latest}.",
                    contract_key=contract_key,
                    version=version,
                )
        return _record(row.record)

    def all(self, *, status: LifecycleStatus | None = None) -> list[StoredContract]:
        query = sa.select(t.contracts).where(_in_status(status))
        with self.database.read() as connection:
            rows = connection.execute(query.order_by(t.contracts.c.contract_key))
            return [_stored(row) for row in rows]

    def page(
        self, *, status: LifecycleStatus | None, limit: int, offset: int
    ) -> tuple[int, list[StoredContract]]:
        """How many contracts ``all`` would give, and ``limit`` of them from ``offset``, read
        together so the total and the page agree."""
        condition = _in_status(status)
        count = sa.select(sa.func.count()).select_from(t.contracts).where(condition)
        query = sa.select(t.contracts).where(condition).order_by(t.contracts.c.contract_key)
        with self.database.read() as connection:
            total = int(connection.execute(count).scalar_one())
            rows = connection.execute(query.limit(limit).offset(offset))
            return total, [_stored(row) for row in rows]

    def history(self, contract_key: str) -> list[ContractVersion]:
        with self.database.read() as connection:
            self._current(connection, contract_key)
            rows = connection.execute(
                sa.select(t.contract_versions)
                .where(t.contract_versions.c.contract_key == contract_key)
                .order_by(t.contract_versions.c.version)
            )
            return [
                ContractVersion(
                    contract_key=row.contract_key,
                    version=row.version,
                    actor=row.actor,
                    reason=row.reason,
                    created_at=row.created_at,
                    changed_fields=tuple(row.changed_fields),
                    record_sha256=row.record_sha256,
                )
                for row in rows
            ]

    # ---- writes ----

    def create(
        self, contract: Contract, *, actor: str, reason: str, idempotency_key: str | None = None
    ) -> WriteResult:
        """Store a new contract at version 1; refuses a key that already exists."""
        with self.database.write() as connection:
            replay = self._replayed(connection, idempotency_key)
            if replay is not None:
                return replay
            existing = self._find(connection, contract.contract_key)
            if existing is not None:
                raise AlreadyExistsError(
                    f"Contract '{contract.contract_key}' already exists (version "
                    f"{existing.version}). Update it instead of creating it again.",
                    contract_key=contract.contract_key,
                )
            stored = self._insert_version(
                connection,
                contract,
                current=None,
                actor=actor,
                reason=reason,
                idempotency_key=idempotency_key,
            )
        return WriteResult(stored, changed=True)

    def update(
        self,
        contract: Contract,
        *,
        expected_version: int,
        actor: str,
        reason: str,
        idempotency_key: str | None = None,
    ) -> WriteResult:
        """Store ``contract`` as the next version, if the current one is ``expected_version``.

        A status change must be a legal lifecycle transition. Writing a record identical to
        the current one creates no version.
        """
        with self.database.write() as connection:
            replay = self._replayed(connection, idempotency_key)
            if replay is not None:
                return replay
            current = self._current(connection, contract.contract_key)
            if current.version != expected_version:
                raise _stale(current, expected_version)
            if current.contract == contract:
                return WriteResult(current, changed=False)
            check_transition(
                current.contract.status, contract.status, contract_key=contract.contract_key
            )
            stored = self._insert_version(
                connection,
                contract,
                current=current,
                actor=actor,
                reason=reason,
                idempotency_key=idempotency_key,
            )
        return WriteResult(stored, changed=True)

    def save(
        self, contract: Contract, *, actor: str, reason: str, idempotency_key: str | None = None
    ) -> WriteResult:
        """Create the contract, or update it from whatever version is current.

        For loaders that own the record outright (the desired state wins); people editing a
        record use ``update`` with the version they read.
        """
        current = self.find(contract.contract_key)
        if current is None:
            try:
                return self.create(
                    contract, actor=actor, reason=reason, idempotency_key=idempotency_key
                )
            except AlreadyExistsError:
                # Another writer created it between our read and our write: update theirs.
                current = self.get(contract.contract_key)
        return self.update(
            contract,
            expected_version=current.version,
            actor=actor,
            reason=reason,
            idempotency_key=idempotency_key,
        )

    def transition(
        self,
        contract_key: str,
        target: LifecycleStatus,
        *,
        expected_version: int,
        actor: str,
        reason: str,
    ) -> WriteResult:
        """Move a contract to ``target`` status (a legal move only)."""
        current = self.get(contract_key)
        if current.version != expected_version:
            raise _stale(current, expected_version)
        moved = current.contract.with_status(target)
        return self.update(moved, expected_version=expected_version, actor=actor, reason=reason)

    # ---- internals ----

    def _insert_version(
        self,
        connection: Connection,
        contract: Contract,
        *,
        current: StoredContract | None,
        actor: str,
        reason: str,
        idempotency_key: str | None,
    ) -> StoredContract:
        now = self.clock()
        record = contract.model_dump(mode="json")
        version = 1 if current is None else current.version + 1
        changed = _changed_fields(current.contract if current else None, record)
        values: dict[str, Any] = {
            "version": version,
            "title": contract.title,
            "status": contract.status.value,
            "contract_type": contract.contract_type.value,
            "account_key": contract.account.key if contract.account else None,
            "record": record,
            "updated_at": now,
            "updated_by": actor,
        }
        if current is None:
            connection.execute(
                t.contracts.insert().values(
                    contract_key=contract.contract_key, created_at=now, **values
                )
            )
        else:
            # The version guard makes the write conditional inside the transaction too:
            # two writers that both read version N cannot both write N + 1.
            result = connection.execute(
                t.contracts.update()
                .where(
                    t.contracts.c.contract_key == contract.contract_key,
                    t.contracts.c.version == current.version,
                )
                .values(**values)
            )
            if result.rowcount != 1:
                raise _stale(self._current(connection, contract.contract_key), current.version)
        try:
            connection.execute(
                t.contract_versions.insert().values(
                    contract_key=contract.contract_key,
                    version=version,
                    record=record,
                    record_sha256=_sha256(record),
                    changed_fields=changed,
                    actor=actor,
                    reason=reason,
                    created_at=now,
                    idempotency_key=idempotency_key,
                )
            )
        except IntegrityError:
            raise ConcurrencyError(
                f"Contract '{contract.contract_key}' version {version} was written by another "
                "process at the same moment. Re-read it and apply your change again.",
                contract_key=contract.contract_key,
            ) from None
        self._journal(
            connection,
            contract,
            current=current,
            version=version,
            changed=changed,
            actor=actor,
            reason=reason,
        )
        return StoredContract(
            contract=contract,
            version=version,
            created_at=current.created_at if current else now,
            updated_at=now,
            updated_by=actor,
        )

    def _journal(
        self,
        connection: Connection,
        contract: Contract,
        *,
        current: StoredContract | None,
        version: int,
        changed: builtins.list[str],
        actor: str,
        reason: str,
    ) -> None:
        details: dict[str, Any] = {"version": version, "reason": reason, "changed": changed}
        action = "contract.created" if current is None else "contract.updated"
        if current is not None and current.contract.status != contract.status:
            details["status"] = {"from": current.contract.status, "to": contract.status}
            action = TRANSITION_EVENTS[contract.status]
        self.journal.record(
            connection,
            JournalEntry(
                actor=actor,
                action=action,
                entity_type="contract",
                entity_key=contract.contract_key,
                details=details,
            ),
        )

    def _replayed(self, connection: Connection, idempotency_key: str | None) -> WriteResult | None:
        """The result of an earlier write with the same idempotency key, if there was one."""
        if idempotency_key is None:
            return None
        row = connection.execute(
            sa.select(t.contract_versions.c.contract_key).where(
                t.contract_versions.c.idempotency_key == idempotency_key
            )
        ).one_or_none()
        if row is None:
            return None
        return WriteResult(self._current(connection, row.contract_key), changed=False)

    def _find(self, connection: Connection, contract_key: str) -> StoredContract | None:
        row = connection.execute(
            sa.select(t.contracts).where(t.contracts.c.contract_key == contract_key)
        ).one_or_none()
        return _stored(row) if row is not None else None

    def _current(self, connection: Connection, contract_key: str) -> StoredContract:
        stored = self._find(connection, contract_key)
        if stored is None:
            raise NotFoundError(
                f"No contract '{contract_key}' in the store. "
                "List the known ones with: contractsync contracts list",
                contract_key=contract_key,
            )
        return stored


def _in_status(status: LifecycleStatus | None) -> sa.ColumnElement[bool]:
    return sa.true() if status is None else t.contracts.c.status == status.value


def _stored(row: sa.Row[Any]) -> StoredContract:
    return StoredContract(
        contract=_record(row.record),
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


def _record(data: Any) -> Contract:
    return Contract.parse_record(data, source="stored record")


def _stale(current: StoredContract, expected_version: int) -> ConcurrencyError:
    key = current.contract.contract_key
    return ConcurrencyError(
        f"Contract '{key}' changed since you read it: your change is based on version "
        f"{expected_version}, but it is now at version {current.version} (by "
        f"{current.updated_by} at {current.updated_at:%Y-%m-%d %H:%M:%S} UTC). Re-read it "
        f"(contractsync contracts show {key}) and apply your change again.",
        contract_key=key,
        expected_version=expected_version,
        current_version=current.version,
    )


def _changed_fields(before: Contract | None, after: dict[str, Any]) -> list[str]:
    if before is None:
        return sorted(name for name, value in after.items() if value not in (None, [], {}))
    previous = before.model_dump(mode="json")
    return sorted(name for name in after if previous.get(name) != after[name])


def _sha256(record: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(record).encode("utf-8")).hexdigest()
