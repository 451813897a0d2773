"""Where a document's bytes come from: a file on disk or bytes already in memory.

Readers take a ``DocumentSource`` so that an upload and a file read the same way, and so
that a file is opened by path where a library can stream it (PDFium, zipfile) instead of
being loaded whole.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from contractsync.errors import DocumentError

_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class DocumentSource:
    """A named document: exactly one of ``path`` and ``data`` is set."""

    name: str
    path: Path | None = None
    data: bytes | None = None

    @classmethod
    def from_path(cls, path: str | os.PathLike[str]) -> DocumentSource:
        return cls(name=os.fspath(path), path=Path(path))

    @classmethod
    def from_bytes(cls, data: bytes, name: str) -> DocumentSource:
        return cls(name=name, data=data)

    def size(self) -> int:
        if self.data is not None:
            return len(self.data)
        try:
            return self._path().stat().st_size
        except OSError as exc:
            raise self.unreadable(exc) from exc

    def open(self) -> BinaryIO:
        if self.data is not None:
            return io.BytesIO(self.data)
        try:
            return self._path().open("rb")
        except OSError as exc:
            raise self.unreadable(exc) from exc

    def head(self, size: int) -> bytes:
        """The first ``size`` bytes, enough to recognise a format."""
        with self.open() as stream:
            return stream.read(size)

    def read_bytes(self) -> bytes:
        if self.data is not None:
            return self.data
        with self.open() as stream:
            return stream.read()

    def sha256(self) -> str:
        """The SHA-256 of the bytes, read in chunks so a large file is never held whole."""
        digest = hashlib.sha256()
        with self.open() as stream:
            while chunk := stream.read(_CHUNK):
                digest.update(chunk)
        return digest.hexdigest()

    def unreadable(self, exc: OSError) -> DocumentError:
        reason = exc.strerror or type(exc).__name__
        return DocumentError(
            f"Cannot read document {self.name!r}: {reason}. "
            "Check that the path exists and is a readable file.",
            document=self.name,
        )

    def _path(self) -> Path:
        if self.path is None:
            raise TypeError("DocumentSource has neither path nor data.")
        return self.path
