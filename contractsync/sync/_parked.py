"""Records parked in the dead letters wait there until their contract changes or a
person replays them.

A record the org refused for the contract version it has now would be refused again the
same way: sending it on every scheduled run would only spend API calls and pile up
attempts. So an ordinary run sets it aside (with the records that hang off it), and counts
it as parked. A new version of its contract may carry the fix, so it is sent again then;
a fix made in the org or the mapping is announced by ``contractsync dlq replay``, whose
runs send parked records too. Records refused by a lookup are not parked (see
``LOOKUP_REFUSALS``).
"""

from __future__ import annotations

from collections.abc import Sequence

from contractsync.context import App
from contractsync.store import StoredContract

from ._items import WriteItem

Groups = list[tuple[str, list[WriteItem]]]

LOOKUP_REFUSALS = "LOOKUP_"
"""contractsync's own refusals of a record whose lookup found no or several records: the
org's data settles them without anyone saying so, and looking again costs one batched
query, so these records are tried on every run."""


def set_aside_parked(
    app: App, org: str, stored: Sequence[StoredContract], groups: Groups
) -> tuple[Groups, int]:
    """``groups`` without the parked records and their children, and how many were set
    aside."""
    letters = app.dead_letters.list(org=org, status="open")
    if not letters:
        return groups, 0
    version_at = {item.contract.contract_key: item.updated_at for item in stored}
    parked = {
        (letter.sobject, letter.external_key)
        for letter in letters
        if letter.contract_key in version_at
        and letter.updated_at >= version_at[letter.contract_key]
        and not letter.error_code.startswith(LOOKUP_REFUSALS)
    }
    if not parked:
        return groups, 0
    kept_groups: Groups = []
    set_aside = 0
    for object_name, items in groups:  # parents first: a child sees its parent's fate
        kept: list[WriteItem] = []
        for item in items:
            identity = (item["sobject"], item["key"])
            if identity in parked or any(tuple(parent) in parked for parent in item["parents"]):
                parked.add(identity)
                set_aside += 1
            else:
                kept.append(item)
        if kept:
            kept_groups.append((object_name, kept))
    return kept_groups, set_aside
