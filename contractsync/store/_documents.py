"""Document bytes, stored once by their SHA-256 whatever the number of contracts using them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from contractsync.errors import NotFoundError

from . import _tables as t
from ._database import Database
from ._journal import Clock, Journal, JournalEntry, utc_now


@dataclass(frozen=True, slots=True)
class StoredDocument:
    sha256: str
    size_bytes: int
    media_type: str
    created: bool
    """False when the same bytes were already stored."""


class DocumentRepository:
    """Content-addressed document storage in the store's database.

    Kept in the database rather than on a local disk so that every worker of a scaled-out
    deployment sees the same documents through the one PostgreSQL connection it already has.
    """

    def __init__(self, database: Database, journal: Journal, *, clock: Clock = utc_now) -> None:
        self.database = database
        self.journal = journal
        self.clock = clock

    def put(self, content: bytes, *, media_type: str, actor: str, name: str) -> StoredDocument:
        digest = hashlib.sha256(content).hexdigest()
        try:
            with self.database.write() as connection:
                exists = connection.execute(
                    sa.select(t.document_blobs.c.sha256).where(t.document_blobs.c.sha256 == digest)
                ).one_or_none()
                if exists is not None:
                    return StoredDocument(digest, len(content), media_type, created=False)
                connection.execute(
                    t.document_blobs.insert().values(
                        sha256=digest,
                        size_bytes=len(content),
                        media_type=media_type,
                        content=content,
                        created_at=self.clock(),
                    )
                )
                self.journal.record(
                    connection,
                    JournalEntry(
                        actor=actor,
                        action="document.stored",
                        entity_type="document",
                        entity_key=digest,
                        details={"name": name, "media_type": media_type, "size": len(content)},
                    ),
                )
        except IntegrityError:
            # Another process stored the same bytes between our check and our insert.
            return StoredDocument(digest, len(content), media_type, created=False)
        return StoredDocument(digest, len(content), media_type, created=True)

    def get(self, sha256: str) -> bytes:
        with self.database.read() as connection:
            row = connection.execute(
                sa.select(t.document_blobs.c.content).where(t.document_blobs.c.sha256 == sha256)
            ).one_or_none()
        if row is None:
            raise NotFoundError(f"No document with SHA-256 {sha256} in the store.", sha256=sha256)
        return bytes(row.content)

    def exists(self, sha256: str) -> bool:
        with self.database.read() as connection:
            row = connection.execute(
                sa.select(t.document_blobs.c.sha256).where(t.document_blobs.c.sha256 == sha256)
            ).one_or_none()
        return row is not None

    def count(self) -> int:
        with self.database.read() as connection:
            return int(
                connection.execute(
                    sa.select(sa.func.count()).select_from(t.document_blobs)
                ).scalar_one()
            )
