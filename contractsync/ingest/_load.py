"""Loading canonical record files into the store as one durable workflow.

The workflow first stages every file (parses it, stores its documents, checkpoints the
records), then saves each record in its own step. A crash at any point resumes from the
last checkpoint when the engine next launches; each save carries an idempotency key made
of the workflow and step ids, so a step re-run after a crash never writes twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypedDict

from dbos import DBOS

from contractsync.context import App
from contractsync.durable import engine_app
from contractsync.errors import ContractSyncError, LifecycleError
from contractsync.model import Contract, check_transition

from ._record_files import find_record_files, read_record_file


class LoadOutcome(TypedDict):
    path: str
    contract_key: str | None
    action: str  # created | updated | unchanged | failed
    version: int | None
    message: str


def load_record_files(paths: list[str], actor: str) -> list[LoadOutcome]:
    """Load record files durably (the engine must be running); returns one outcome each."""
    # Absolute, because any worker may resume the workflow, from its own folder.
    return load_records_workflow([str(Path(path).absolute()) for path in paths], actor)


@DBOS.workflow(name="contractsync.load_records")
def load_records_workflow(paths: list[str], actor: str) -> list[LoadOutcome]:
    outcomes: list[LoadOutcome] = []
    for item in stage_record_files(paths, actor):
        if item["record"] is None:
            outcomes.append(item["outcome"])
        else:
            outcomes.append(save_record(item["path"], item["record"], actor))
    return outcomes


@DBOS.step(name="contractsync.stage_record_files")
def stage_record_files(paths: list[str], actor: str) -> list[dict[str, Any]]:
    """Parse every record file and store its documents; a bad file fails alone."""
    app = engine_app()
    staged: list[dict[str, Any]] = []
    for path in find_record_files(Path(p) for p in paths):
        try:
            record = read_record_file(path)
            for document in record.documents:
                app.documents.put(
                    document.content,
                    media_type=document.media_type,
                    actor=actor,
                    name=document.name,
                )
        except ContractSyncError as error:
            staged.append({"path": str(path), "record": None, "outcome": _failed(path, error)})
            continue
        staged.append({"path": str(path), "record": record.contract.model_dump(mode="json")})
    return staged


@DBOS.step(name="contractsync.save_record")
def save_record(path: str, record: dict[str, Any], actor: str) -> LoadOutcome:
    app = engine_app()
    contract = Contract.parse_record(record, source=path)
    contract, note = _keep_lifecycle(app, contract)
    try:
        result = app.contracts.save(
            contract,
            actor=actor,
            reason=f"loaded from {Path(path).name}",
            idempotency_key=f"{DBOS.workflow_id}:{DBOS.step_id}",
        )
    except ContractSyncError as error:
        return _failed(Path(path), error, contract.contract_key)
    action = "unchanged"
    if result.changed:
        action = "created" if result.stored.version == 1 else "updated"
    return LoadOutcome(
        path=path,
        contract_key=contract.contract_key,
        action=action,
        version=result.stored.version,
        message=note,
    )


def _keep_lifecycle(app: App, contract: Contract) -> tuple[Contract, str]:
    """A file cannot move a contract backwards in its lifecycle: keep the stored status.

    Record files describe terms; once a contract has moved on (signed → active, say), its
    status changes through lifecycle events, and reloading the original file must not undo them.
    """
    current = app.contracts.find(contract.contract_key)
    if current is None or current.contract.status == contract.status:
        return contract, ""
    try:
        check_transition(current.contract.status, contract.status)
    except LifecycleError:
        kept = current.contract.status
        note = f"kept status '{kept}' (the file says '{contract.status}', a move backwards)"
        return contract.model_copy(update={"status": kept}), note
    return contract, ""


def _failed(path: Path, error: ContractSyncError, key: str | None = None) -> LoadOutcome:
    return LoadOutcome(
        path=str(path), contract_key=key, action="failed", version=None, message=error.message
    )
