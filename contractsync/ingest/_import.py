"""Importing contract documents: read, store, extract and record them, as one durable workflow.

``import_documents(paths, actor)`` walks files and folders and, for each document, in its
own checkpointed step: reads it (PDF, DOCX, text, HTML, scans), stores its bytes, runs the
default extractors and builds the canonical record, every value tracked with its evidence
and the review gate's decision (``contractsync.review``). Then each record is saved in its
own step, with an idempotency key made of the workflow and step ids, so a step re-run
after a crash never writes twice. Amendments go last: each is attached to the contract it
amends when the store holds exactly one that fits, and is imported as its own record
otherwise.

A document's key comes from its title and the SHA-256 of its bytes, so importing the same
file again finds the same record and changes nothing. One bad file is reported and the
others go on.

The password for encrypted PDFs is held by this process only, never written to the
workflow's checkpoints: a workflow resumed after a crash reports such a PDF as failed and
it can be imported again.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, TypedDict

from dbos import DBOS
from pydantic import SecretStr

from contractsync.context import App
from contractsync.documents import DocumentReader, ReadLimits, read_document
from contractsync.durable import engine_app
from contractsync.errors import ContractSyncError, DocumentError
from contractsync.extraction import (
    AUTO_APPROVE_THRESHOLD,
    AmendmentInfo,
    default_extractors,
    extract_document,
)
from contractsync.model import Amendment, Contract, DocumentRef, DocumentRole, Party
from contractsync.review import ReviewPolicy

from ._extracted import (
    amendment_from_extraction,
    contract_from_extraction,
    contract_key_for,
    document_ref,
    document_title,
    find_amended,
    merge_reimport,
    review_counts,
    with_amendment,
)

log = logging.getLogger(__name__)

DOCUMENT_SUFFIXES = frozenset(
    {".pdf", ".docx", ".txt", ".text", ".html", ".htm", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}
)
"""What a walked folder contributes; files named outright are always tried."""

_SESSION = "ingest.import_session"


class ImportOutcome(TypedDict):
    path: str
    contract_key: str | None
    action: str  # created | updated | unchanged | attached | failed
    version: int | None
    auto_approved: int
    pending: int
    message: str


@dataclass(frozen=True, slots=True)
class _ImportSession:
    """What an import needs that must not be checkpointed: a password, a progress hook."""

    password: SecretStr | None = None
    on_document: Callable[[str], None] | None = None


def import_documents(
    paths: list[str],
    actor: str,
    *,
    key_prefix: str | None = None,
    password: SecretStr | None = None,
    limits: ReadLimits | None = None,
    on_document: Callable[[str], None] | None = None,
) -> list[ImportOutcome]:
    """Import contract documents durably (the engine must be running); one outcome each.

    Args:
        paths: files and folders (walked, sorted; hidden entries skipped).
        actor: who imports, for the versions and the audit log.
        key_prefix: put in front of every new contract key (``acme`` → ``acme-supply-…``).
        password: opens encrypted PDFs; kept in memory only.
        limits: the size and page bounds (default ``ReadLimits()``); they are workflow
            arguments, so a worker that resumes the import applies them too.
        on_document: called with each document's path once it is read and extracted.
    """
    app = engine_app()
    app.services[_SESSION] = _ImportSession(password=password, on_document=on_document)
    try:
        # Absolute, because any worker may resume the workflow, from its own folder (the
        # password stays here: a resumed import reports an encrypted PDF as needing it).
        absolute = [str(Path(path).absolute()) for path in paths]
        bounds = limits or ReadLimits()
        return import_documents_workflow(
            absolute, actor, key_prefix, bounds.max_bytes, bounds.max_pages
        )
    finally:
        app.services.pop(_SESSION, None)


def import_files(paths: list[str]) -> list[str]:
    """The documents ``paths`` name: files as given, folders walked for document files."""
    found: list[str] = []
    for entry in paths:
        path = Path(entry)
        if path.is_dir():
            found.extend(str(p) for p in _walk(path) if p.suffix.casefold() in DOCUMENT_SUFFIXES)
        else:
            found.append(str(path))
    return found


def _walk(folder: Path) -> Iterator[Path]:
    # os.walk, unlike Path.rglob before 3.13, does not follow links into other trees.
    for parent, subfolders, files in os.walk(folder):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(parent, name)


@DBOS.workflow(name="contractsync.import_documents")
def import_documents_workflow(
    paths: list[str],
    actor: str,
    key_prefix: str | None,
    max_bytes: int | None = None,
    max_pages: int | None = None,
) -> list[ImportOutcome]:
    files = list_import_files(paths)
    staged = [
        stage_import_document(path, actor, key_prefix, max_bytes, max_pages) for path in files
    ]
    outcomes: dict[str, ImportOutcome] = {}
    for item in staged:
        if "outcome" in item:
            outcomes[item["path"]] = item["outcome"]
        elif item.get("amendment") is None:
            outcomes[item["path"]] = save_imported_contract(item, actor)
    for item in staged:
        if item["path"] not in outcomes:
            outcomes[item["path"]] = attach_imported_amendment(item, actor)
    return [outcomes[path] for path in files]


@DBOS.step(name="contractsync.list_import_files")
def list_import_files(paths: list[str]) -> list[str]:
    return import_files(paths)


@DBOS.step(name="contractsync.stage_import_document")
def stage_import_document(
    path: str,
    actor: str,
    key_prefix: str | None,
    max_bytes: int | None = None,
    max_pages: int | None = None,
) -> dict[str, Any]:
    """Read, store and extract one document; returns its record, or its failure."""
    app = engine_app()
    session = app.services.get(_SESSION)
    session = session if isinstance(session, _ImportSession) else _ImportSession()
    # Imports recorded before limits were arguments resume with the defaults.
    defaults = ReadLimits()
    limits = replace(
        defaults,
        max_bytes=max_bytes or defaults.max_bytes,
        max_pages=max_pages or defaults.max_pages,
    )
    try:
        staged = _stage(app, Path(path), actor, key_prefix, session.password, limits)
    except ContractSyncError as error:
        log.warning("import_failed document=%s code=%s", path, error.code)
        staged = {"path": path, "outcome": _failed(path, error.message)}
    except Exception as error:  # a bug on one file must not stop the import
        log.exception("import_crashed document=%s", path)
        message = (f"importing failed unexpectedly ({type(error).__name__}: {error}); this is "
                   "a bug in contractsync, please report it with the file")  # fmt: skip
        staged = {"path": path, "outcome": _failed(path, message)}
    if session.on_document is not None:
        session.on_document(path)
    return staged


def _stage(  # noqa: PLR0917 - private, one caller
    app: App,
    path: Path,
    actor: str,
    key_prefix: str | None,
    password: SecretStr | None,
    limits: ReadLimits,
) -> dict[str, Any]:
    try:
        # From stat, before the bytes are read: an oversized file must never be loaded whole.
        limits.check_file_size(path.name, path.stat().st_size)
        content = path.read_bytes()
    except OSError as error:
        raise DocumentError(
            f"{path} cannot be read ({error.strerror}). Check the path and its permissions.",
            document=str(path),
        ) from None
    secret = password.get_secret_value() if password is not None else None
    reader = DocumentReader(limits=limits)
    document = read_document(content, name=path.name, password=secret, reader=reader)
    extraction = extract_document(document, default_extractors())
    title = document_title(document)
    key = contract_key_for(title, document.sha256, key_prefix)
    role = DocumentRole.AMENDMENT if extraction.is_amendment else DocumentRole.ORIGINAL
    ref = document_ref(document, name=path.name, size=len(content), role=role.value)
    app.documents.put(content, media_type=ref.media_type, actor=actor, name=path.name)
    policy = ReviewPolicy.from_field_dictionary(AUTO_APPROVE_THRESHOLD)
    contract, dropped = contract_from_extraction(
        extraction, key=key, title=title, document=ref, policy=policy
    )
    notes = [f"dropped {name} (inconsistent with the other terms)" for name in dropped]
    notes += [f"extractor failed: {error}" for error in extraction.errors]
    staged: dict[str, Any] = {
        "path": str(path),
        "record": contract.model_dump(mode="json"),
        "document": ref.model_dump(mode="json"),
        "notes": notes,
        "amendment": None,
    }
    if extraction.amendment is not None:
        amendment = amendment_from_extraction(extraction, key=key, document=ref)
        staged["amendment"] = {
            "info": _info_json(extraction.amendment),
            "change": amendment.model_dump(mode="json") if amendment is not None else None,
        }
    return staged


@DBOS.step(name="contractsync.save_imported_contract")
def save_imported_contract(item: dict[str, Any], actor: str) -> ImportOutcome:
    app = engine_app()
    contract = Contract.parse_record(item["record"], source=item["path"])
    return _save(app, item["path"], contract, actor, "; ".join(item["notes"]))


@DBOS.step(name="contractsync.attach_imported_amendment")
def attach_imported_amendment(item: dict[str, Any], actor: str) -> ImportOutcome:
    """Attach an amendment to the one contract it amends, or import it on its own."""
    app = engine_app()
    path = item["path"]
    own = Contract.parse_record(item["record"], source=path)
    info = _info_from_json(item["amendment"]["info"])
    change = item["amendment"]["change"]
    notes = list(item["notes"])
    if change is None:
        notes.append("amendment without a date it takes effect: imported on its own for review")
        return _save(app, path, own, actor, "; ".join(notes))
    candidates = [
        stored.contract
        for stored in app.contracts.all()
        if stored.contract.contract_key != own.contract_key
    ]
    target = find_amended(info, candidates)
    if target is None:
        notes.append(
            f"amendment of '{info.amends or 'an agreement'}': no single contract in the store "
            "fits its title, date and parties; imported on its own for review"
        )
        return _save(app, path, own, actor, "; ".join(notes))
    amendment = Amendment.model_validate(change)
    document = DocumentRef.model_validate(item["document"])
    amended = with_amendment(target, amendment, document)
    outcome = _save(app, path, amended, actor, "; ".join(notes), merge=False)
    if outcome["action"] in {"created", "updated"}:
        outcome["action"] = "attached"
    outcome["message"] = "; ".join([f"amends {target.contract_key}", *notes])
    auto, pending = _amendment_counts(amendment)
    outcome["auto_approved"], outcome["pending"] = auto, pending
    return outcome


def _save(
    app: App, path: str, contract: Contract, actor: str, note: str, *, merge: bool = True
) -> ImportOutcome:
    stored = app.contracts.find(contract.contract_key)
    if merge and stored is not None:
        contract = merge_reimport(stored.contract, contract)
    try:
        result = app.contracts.save(
            contract,
            actor=actor,
            reason=f"imported from {Path(path).name}",
            idempotency_key=f"{DBOS.workflow_id}:{DBOS.step_id}",
        )
    except ContractSyncError as error:
        return _failed(path, error.message, contract.contract_key)
    action = "unchanged"
    if result.changed:
        action = "created" if result.stored.version == 1 else "updated"
    auto, pending = review_counts(result.stored.contract)
    return ImportOutcome(
        path=path,
        contract_key=contract.contract_key,
        action=action,
        version=result.stored.version,
        auto_approved=auto,
        pending=pending,
        message=note,
    )


def _amendment_counts(amendment: Amendment) -> tuple[int, int]:
    # An amendment's changes are machine-read; each waits for a person.
    return 0, len(amendment.changes)


def _failed(path: str, message: str, key: str | None = None) -> ImportOutcome:
    return ImportOutcome(
        path=path,
        contract_key=key,
        action="failed",
        version=None,
        auto_approved=0,
        pending=0,
        message=message,
    )


def _info_json(info: AmendmentInfo) -> dict[str, Any]:
    return {
        "title": info.title,
        "amends": info.amends,
        "amended_agreement_date": info.amended_agreement_date.isoformat()
        if info.amended_agreement_date
        else None,
        "effective_date": info.effective_date.isoformat() if info.effective_date else None,
        "parties": [party.model_dump(mode="json") for party in info.parties],
    }


def _info_from_json(data: dict[str, Any]) -> AmendmentInfo:
    def day(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    return AmendmentInfo(
        title=data["title"],
        amends=data["amends"],
        amended_agreement_date=day(data["amended_agreement_date"]),
        effective_date=day(data["effective_date"]),
        parties=tuple(Party.model_validate(p) for p in data["parties"]),
    )
