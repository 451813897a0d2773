"""``/contracts``: read-only views of the canonical records, a page at a time."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from contractsync.errors import NotFoundError
from contractsync.model import LifecycleStatus

from ._errors import error_responses, not_found
from ._models import ContractDetail, ContractPage, ContractSummary
from ._state import api_state

router = APIRouter(prefix="/contracts", tags=["contracts"])


@router.get("", responses=error_responses(401))
def list_contracts(
    request: Request,
    status: Annotated[
        LifecycleStatus | None, Query(description="Only contracts in this lifecycle status.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200, description="Contracts per page.")] = 50,
    offset: Annotated[int, Query(ge=0, description="Contracts to skip (by key order).")] = 0,
) -> ContractPage:
    """Contracts in the store, ordered by key, with their status and version."""
    total, page = api_state(request).app.contracts.page(status=status, limit=limit, offset=offset)
    items = [ContractSummary.of(stored) for stored in page]
    return ContractPage(total=total, limit=limit, offset=offset, items=items)


@router.get("/{key}", responses=error_responses(401, 404))
def show_contract(
    request: Request,
    key: str,
    version: Annotated[
        int | None, Query(ge=1, description="This version instead of the current one.")
    ] = None,
) -> ContractDetail:
    """One canonical record (the current version, or an earlier one)."""
    app = api_state(request).app
    stored = app.contracts.find(key)
    if stored is None:
        raise not_found(f"No contract '{key}' in the store. List them with GET /contracts.")
    if version is None or version == stored.version:
        return ContractDetail(
            key=key,
            version=stored.version,
            current_version=stored.version,
            created_at=stored.created_at,
            updated_at=stored.updated_at,
            updated_by=stored.updated_by,
            record=stored.contract.model_dump(mode="json"),
        )
    try:
        record = app.contracts.get_version(key, version)
    except NotFoundError:
        raise not_found(
            f"Contract '{key}' has no version {version}; its versions are 1 to {stored.version}."
        ) from None
    # An earlier version answers with who wrote it and when, not the current version's.
    [written] = [entry for entry in app.contracts.history(key) if entry.version == version]
    return ContractDetail(
        key=key,
        version=version,
        current_version=stored.version,
        created_at=stored.created_at,
        updated_at=written.created_at,
        updated_by=written.actor,
        record=record.model_dump(mode="json"),
    )
