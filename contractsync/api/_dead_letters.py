"""``/dead-letters``: records an org refused; inspect, replay, discard (audited)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal, cast

from fastapi import APIRouter, Body, Query, Request

from contractsync.errors import ConcurrencyError, NotFoundError
from contractsync.logs import redact
from contractsync.store import DeadLetter
from contractsync.sync import replay_dead_letters

from ._errors import ApiError, error_responses, not_found
from ._models import (
    DeadLetterDetail,
    DeadLetterPage,
    DeadLetterSummary,
    DiscardRequest,
    LetterStatus,
    OrgReplay,
    ReplayedLetter,
    ReplayRequest,
    ReplayResult,
)
from ._state import ApiState, api_state

router = APIRouter(prefix="/dead-letters", tags=["dead letters"])


@router.get("", responses=error_responses(401))
def list_dead_letters(
    request: Request,
    org: Annotated[str | None, Query(description="Only this org's letters.")] = None,
    status: Annotated[
        Literal["open", "delivered", "discarded", "all"],
        Query(description="Only letters in this status; 'all' for every one."),
    ] = "open",
    limit: Annotated[int, Query(ge=1, le=200, description="Letters per page.")] = 50,
    offset: Annotated[int, Query(ge=0, description="Letters to skip (oldest first).")] = 0,
) -> DeadLetterPage:
    """Records an org refused, oldest first, with the Salesforce error and its fields."""
    total, page = api_state(request).app.dead_letters.page(
        org=org, status=None if status == "all" else status, limit=limit, offset=offset
    )
    items = [DeadLetterSummary.of(letter) for letter in page]
    return DeadLetterPage(total=total, limit=limit, offset=offset, items=items)


@router.get("/{letter_id}", responses=error_responses(401, 404))
def show_dead_letter(request: Request, letter_id: int) -> DeadLetterDetail:
    """One dead letter in full: every error and the payload the org refused."""
    return DeadLetterDetail.of(_letter(api_state(request), letter_id))


@router.post("/{letter_id}/discard", responses=error_responses(401, 404, 409))
def discard_dead_letter(
    request: Request, letter_id: int, body: DiscardRequest
) -> DeadLetterSummary:
    """Give up on a refused record on purpose; the reason and who did it are audited.

    Only open letters can be discarded (409 otherwise)."""
    state = api_state(request)
    _letter(state, letter_id)  # an unknown id answers 404 in the API's words
    try:
        letter = state.app.dead_letters.discard(letter_id, actor=state.actor, reason=body.reason)
    except ConcurrencyError as error:
        # Delivered by a replay, or discarded by someone else, since it was last read.
        raise ApiError(409, "not_open", error.message) from None
    return DeadLetterSummary.of(letter)


@router.post("/replay", responses=error_responses(401, 404))
def replay(request: Request, body: Annotated[ReplayRequest | None, Body()] = None) -> ReplayResult:
    """Sync again the contracts of refused records (after fixing the org or the data).

    A record that goes through closes its letter; one refused again stays open with the
    new error. Every id must exist (404 before anything is sent)."""
    state = api_state(request)
    ids = body.ids if body is not None else None
    for letter_id in ids or ():
        _letter(state, letter_id)
    report = replay_dead_letters(state.app, ids, today=datetime.now(UTC).date(), actor=state.actor)
    letters = [
        ReplayedLetter(
            id=outcome.letter.id,
            org=outcome.letter.org,
            key=outcome.letter.external_key,
            contract_key=outcome.letter.contract_key,
            replayed=outcome.replayed,
            status=cast(LetterStatus, outcome.letter.status),
            run_id=outcome.run_id,
            error_code=outcome.error_code,
            message=redact(outcome.message) if outcome.message else None,
        )
        for outcome in report.outcomes
    ]
    runs = [
        OrgReplay(org=org, run_id=summary.get("run_id"), status=_run_status(summary))
        for org, summary in report.summaries.items()
    ] + [
        OrgReplay(org=org, status="failed", error_code=error.code, message=redact(error.message))
        for org, error in report.errors.items()
    ]
    return ReplayResult(
        delivered=sum(1 for i in letters if i.replayed and i.status == "delivered"),
        still_open=len(report.still_open),
        letters=letters,
        runs=runs,
    )


def _run_status(summary: dict[str, object]) -> str:
    return "already_done" if summary.get("already_done") else str(summary.get("status"))


def _letter(state: ApiState, letter_id: int) -> DeadLetter:
    try:
        return state.app.dead_letters.get(letter_id)
    except NotFoundError:
        raise not_found(
            f"No dead letter #{letter_id}. List them with GET /dead-letters?status=all."
        ) from None
