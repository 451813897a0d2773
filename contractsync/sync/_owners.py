"""Owners: the User Ids behind the owner emails (or usernames) a mapping names.

Finding them is one SOQL query per match field and 200 values, and most runs name the same
few owners as the run before. An ``OwnerDirectory`` (one per org and process, held by the
org registry) remembers what the org answered for a while, so a run whose owners were all
resolved recently makes no query at all.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from contractsync.salesforce import OrgClient

from ._items import WriteItem

OWNER_TTL_S = 600.0
"""How long a resolved owner is trusted without asking the org again."""
OWNER_CODES = frozenset({"INACTIVE_OWNER_OR_USER"})
"""Error codes that mean the owner sent is no longer a valid owner (salesforce-api.md 8.1)."""


class OwnerDirectory:
    """Owners one org resolved recently: (match field, lower-cased value) → User Id.

    Invalidation: an answer is reused for ``ttl_s`` after the org gave it, and dropped at
    once when a write naming that User Id is refused for its owner (deactivated, or no
    longer a user), so the next run asks again. A user deactivated or given another email
    in Salesforce is thus noticed within ``ttl_s`` at the latest, and costs at most the
    records of that window (dead-lettered with the org's reason, delivered on replay). Only
    answers are kept: an email no user has is asked for again on every run, so a user
    created for it is found at once. Kept in memory per process, never shared: each
    process's entries follow the same rule, so none can hold another's stale answer.
    """

    def __init__(self, *, ttl_s: float = OWNER_TTL_S, clock: Callable[[], float] = time.monotonic):
        self.ttl_s = ttl_s
        self._clock = clock
        self._known: dict[tuple[str, str], tuple[str, float]] = {}
        self._lock = threading.Lock()

    def known(self, match_on: str, values: Iterable[str]) -> dict[str, str]:
        """Lower-cased value → User Id, for the values resolved less than ``ttl_s`` ago."""
        now = self._clock()
        found: dict[str, str] = {}
        with self._lock:
            for value in values:
                entry = self._known.get((match_on, value.lower()))
                if entry is not None and now - entry[1] < self.ttl_s:
                    found[value.lower()] = entry[0]
        return found

    def remember(self, match_on: str, found: Mapping[str, str]) -> None:
        now = self._clock()
        with self._lock:
            for value, user_id in found.items():
                self._known[(match_on, value.lower())] = (user_id, now)

    def forget(self, user_ids: Iterable[str]) -> None:
        gone = set(user_ids)
        if not gone:
            return
        with self._lock:
            self._known = {key: entry for key, entry in self._known.items() if entry[0] not in gone}

    def forget_refused(self, dead_letters: Sequence[Mapping[str, Any]]) -> None:
        """Drop the owners of records the org refused because of their owner."""
        self.forget(
            str(letter["payload"]["OwnerId"])
            for letter in dead_letters
            if letter.get("payload", {}).get("OwnerId") and _owner_refused(letter)
        )


def _owner_refused(letter: Mapping[str, Any]) -> bool:
    return any(
        error.get("code") in OWNER_CODES or "OwnerId" in (error.get("fields") or ())
        for error in letter.get("errors") or ()
    )


def owner_ids(
    client: OrgClient, items: Sequence[WriteItem], directory: OwnerDirectory | None = None
) -> dict[str, str]:
    """User Ids for every owner the items name, as ``"<field>:<lower-cased value>"`` → Id:
    from ``directory`` where it knows them, the rest in one query per match field."""
    wanted: dict[str, set[str]] = {}
    for item in items:
        if item["owner"]:
            match_on, value = item["owner"]
            wanted.setdefault(match_on, set()).add(value.lower())
    found: dict[str, str] = {}
    for match_on, values in wanted.items():
        answers = directory.known(match_on, values) if directory is not None else {}
        missing = sorted(values - answers.keys())
        if missing:
            asked = client.find_users(match_on, missing)
            if directory is not None:
                directory.remember(match_on, asked)
            answers.update(asked)
        for value, user_id in answers.items():
            found[f"{match_on}:{value}"] = user_id
    return found
