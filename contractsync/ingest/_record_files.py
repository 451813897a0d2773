"""Canonical record files: a contract record in YAML next to the documents it came from.

A record file is the canonical contract record (``contractsync.model.Contract``) in YAML,
with two conveniences for people writing one by hand:

- ``documents`` lists files by ``path`` (relative to the record file) and ``role``; the
  loader reads them (PDF, DOCX, text, HTML, scans), stores their bytes and fills in
  SHA-256, media type, size and pages.
- evidence may be given as ``{document: <path>, quote: "<exact words>"}``; the loader finds
  the quote in the document's text and fills in page, character span and snippet, so the
  evidence always points at the real text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from contractsync.documents import PAGE_SEPARATOR, normalize_page_text, read_document
from contractsync.errors import DocumentError, ModelError
from contractsync.model import Contract, DocumentRole

RECORD_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class DocumentFile:
    """A document named by a record file, read and identified."""

    name: str
    role: DocumentRole
    content: bytes
    media_type: str
    text: str
    """The document's text as ``contractsync.documents`` reads it; evidence spans index it."""
    pages: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True, slots=True)
class RecordFile:
    path: Path
    contract: Contract
    documents: tuple[DocumentFile, ...]


def find_record_files(paths: Iterable[Path]) -> list[Path]:
    """The record files named by ``paths``: files as given, folders walked (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in RECORD_SUFFIXES))
        elif path.is_file():
            found.append(path)
        else:
            raise ModelError(
                f"{path} does not exist. Give record files (.yaml) or folders holding them.",
                path=str(path),
            )
    return found


def read_record_file(path: Path) -> RecordFile:
    """Parse one record file and the documents it names, resolving evidence quotes."""
    data = _load_yaml(path)
    documents = tuple(_read_documents(path, data.pop("documents", None) or []))
    by_name = {document.name: document for document in documents}
    data["documents"] = [
        {
            "sha256": document.sha256,
            "name": document.name,
            "media_type": document.media_type,
            "size_bytes": len(document.content),
            "pages": document.pages,
            "role": document.role.value,
        }
        for document in documents
    ]
    for name, evidence in _evidence_blocks(data):
        _resolve_evidence(path, name, evidence, by_name)
    for amendment in data.get("amendments") or []:
        if isinstance(amendment, dict) and "document" in amendment:
            document = _named_document(path, "amendment", amendment.pop("document"), by_name)
            amendment["document_sha256"] = document.sha256
    contract = Contract.parse_record(data, source=str(path))
    return RecordFile(path=path, contract=contract, documents=documents)


def _load_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ModelError(f"{path} cannot be read: {error.strerror}.", path=str(path)) from None
    except UnicodeDecodeError:
        raise ModelError(f"{path} is not UTF-8 text; save it as UTF-8.", path=str(path)) from None
    except ValueError as error:
        # PyYAML builds dates itself and lets datetime's ValueError through (2025-02-30).
        raise ModelError(
            f"{path} has an impossible value: {error}. Fix it.", path=str(path)
        ) from None
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" at line {where.line + 1}" if where is not None else ""
        raise ModelError(
            f"{path} is not valid YAML{line}: {getattr(error, 'problem', error)}. Fix the syntax.",
            path=str(path),
        ) from None
    if not isinstance(data, dict):
        raise ModelError(
            f"{path} must hold one contract record (a mapping with contract_key, title ...).",
            path=str(path),
        )
    return data


def _read_documents(record_path: Path, entries: list[Any]) -> Iterator[DocumentFile]:
    for entry in entries:
        if not isinstance(entry, dict) or "path" not in entry:
            raise ModelError(
                f"{record_path}: each document needs a 'path' (relative to the record file).",
                path=str(record_path),
            )
        file = record_path.parent / str(entry["path"])
        try:
            content = file.read_bytes()
        except OSError as error:
            raise DocumentError(
                f"{record_path}: document {file} cannot be read ({error.strerror}). "
                "Fix the path; it is relative to the record file.",
                document=str(file),
            ) from None
        try:
            role = DocumentRole(entry.get("role", "original"))
        except ValueError:
            roles = ", ".join(role.value for role in DocumentRole)
            raise ModelError(
                f"{record_path}: document {entry['path']} has role {entry.get('role')!r}; "
                f"use one of {roles}.",
                path=str(record_path),
            ) from None
        document = read_document(content, name=str(entry["path"]))
        yield DocumentFile(
            name=str(entry["path"]),
            role=role,
            content=content,
            media_type=str(document.media_type),
            text=document.text,
            pages=len(document.pages),
        )


def _evidence_blocks(data: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, value in data.items():
        evidence = _evidence_of(value)
        if evidence is not None:
            yield name, evidence
    for index, obligation in enumerate(data.get("obligations") or []):
        evidence = _evidence_of(obligation)
        if evidence is not None:
            yield f"obligations[{index}]", evidence


def _evidence_of(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        return None
    provenance = value.get("provenance")
    if not isinstance(provenance, dict):
        return None
    evidence = provenance.get("evidence")
    return evidence if isinstance(evidence, dict) else None


def _resolve_evidence(
    path: Path, field: str, evidence: dict[str, Any], documents: dict[str, DocumentFile]
) -> None:
    if "quote" not in evidence:
        return
    document = _named_document(path, field, evidence.pop("document", None), documents)
    # Quotes go through the same normalisation as the document text (no-break spaces,
    # ligatures, line ends), so words copied from the original file are found.
    quote = normalize_page_text(str(evidence.pop("quote"))).strip()
    start = document.text.find(quote)
    if start < 0 or not quote:
        raise ModelError(
            f"{path}: the evidence quote for '{field}' is not in {document.name}: {quote!r}. "
            "Copy the words exactly as the document has them.",
            path=str(path),
            field=field,
        )
    evidence.update(
        document_sha256=document.sha256,
        page=document.text.count(PAGE_SEPARATOR, 0, start) + 1,
        start=start,
        end=start + len(quote),
        snippet=quote,
    )


def _named_document(
    path: Path, field: str, name: Any, documents: dict[str, DocumentFile]
) -> DocumentFile:
    if name not in documents:
        listed = ", ".join(documents) or "none"
        raise ModelError(
            f"{path}: '{field}' cites document {name!r}, which is not under 'documents' "
            f"(listed: {listed}).",
            path=str(path),
            field=field,
        )
    return documents[name]
