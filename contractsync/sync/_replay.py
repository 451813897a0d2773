"""Replaying dead letters: the refused records' contracts are synced again, and a record
that goes through closes its letter (``SyncStateRepository.confirm`` does that)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from contractsync.context import App
from contractsync.errors import ContractSyncError
from contractsync.store import OPEN, DeadLetter

from ._workflow import start_sync


@dataclass(frozen=True, slots=True)
class LetterOutcome:
    """One dead letter after a replay: its status now and, when still open, why."""

    letter: DeadLetter
    replayed: bool
    """False when the letter was not open, so there was nothing to replay."""
    run_id: str | None
    error_code: str | None = None
    message: str | None = None


@dataclass(frozen=True, slots=True)
class ReplayReport:
    """What a replay did: each letter's outcome, each org's sync summary or error."""

    outcomes: list[LetterOutcome]
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    errors: dict[str, ContractSyncError] = field(default_factory=dict)

    @property
    def still_open(self) -> list[int]:
        return [o.letter.id for o in self.outcomes if o.replayed and o.letter.status == OPEN]


def replay_dead_letters(
    app: App, letter_ids: Sequence[int] | None, *, today: date, actor: str
) -> ReplayReport:
    """Sync again the contracts of the given dead letters (all open ones when ``None``).

    Needs the durable engine running for ``app``. An org whose sync fails outright (it is
    unreachable, or no longer configured) is reported in ``errors`` and leaves its letters
    open; the other orgs are still replayed. Unknown ids raise ``NotFoundError`` before
    anything is sent.
    """
    if letter_ids:
        letters = [app.dead_letters.get(i) for i in dict.fromkeys(letter_ids)]
    else:
        letters = app.dead_letters.list(status=OPEN)
    by_org: dict[str, list[str]] = {}
    for letter in letters:
        if letter.status == OPEN:
            by_org.setdefault(letter.org, []).append(letter.contract_key)
    summaries: dict[str, dict[str, Any]] = {}
    errors: dict[str, ContractSyncError] = {}
    for org, keys in by_org.items():
        try:
            summaries[org] = start_sync(
                org, sorted(set(keys)), today=today, actor=actor, retry_parked=True
            )
        except ContractSyncError as error:
            errors[org] = error
    outcomes = []
    for letter in letters:
        if letter.status != OPEN:
            outcomes.append(LetterOutcome(letter, replayed=False, run_id=None))
            continue
        now = app.dead_letters.get(letter.id)
        failed = errors.get(letter.org)
        error_code: str | None = None
        message: str | None = None
        if now.status == OPEN:
            error_code = failed.code if failed else now.error_code
            message = failed.message if failed else now.message
        run_id = summaries.get(letter.org, {}).get("run_id")
        outcomes.append(LetterOutcome(now, True, run_id, error_code, message))
    return ReplayReport(outcomes, summaries, errors)
